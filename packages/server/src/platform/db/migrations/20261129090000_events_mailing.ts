import { sql, type Kysely } from 'kysely';

/**
 * Events of the network (workshops, hackathons, webinars, commission meetings) with their
 * registrations; per-user e-mail preferences; and the log of mails the SMTP server refused.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table events (
      id uuid primary key default gen_random_uuid(),
      title text not null,
      kind text not null check (kind in ('atelier','hackathon','webinaire','reunion')),
      description text not null default '',
      starts_at timestamptz not null,
      ends_at timestamptz not null,
      place text,
      online_url text,
      organisation_id uuid not null references organisations(id),
      capacity integer check (capacity is null or capacity > 0),
      registration_deadline timestamptz,
      status text not null default 'scheduled' check (status in ('scheduled','cancelled')),
      created_by uuid references users(id) on delete set null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (ends_at > starts_at)
    )`.execute(db);
  await sql`create index events_starts_at on events(starts_at)`.execute(db);
  await sql`
    create table event_registrations (
      event_id uuid not null references events(id) on delete cascade,
      user_id uuid not null references users(id) on delete cascade,
      created_at timestamptz not null default now(),
      primary key (event_id, user_id)
    )`.execute(db);
  // One row per topic a user changed; no row means the default: e-mail on.
  await sql`
    create table notification_preferences (
      user_id uuid not null references users(id) on delete cascade,
      topic text not null,
      email boolean not null,
      updated_at timestamptz not null default now(),
      primary key (user_id, topic)
    )`.execute(db);
  await sql`
    create table mail_failures (
      id uuid primary key default gen_random_uuid(),
      recipient text not null,
      user_id uuid references users(id) on delete set null,
      subject text not null,
      response_code integer,
      response text not null,
      permanent boolean not null,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index mail_failures_recipient on mail_failures(recipient, created_at desc)`.execute(db);
}
