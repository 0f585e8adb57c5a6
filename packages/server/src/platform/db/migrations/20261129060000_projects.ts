import { sql, type Kysely } from 'kysely';

/**
 * Projects grow up (issue 10): an objective, domains, a territory (Occitanie département codes),
 * a status (idea → setup → running → closed); partners with a role; invitations a partner's admin
 * accepts or declines (`project_partners` keeps holding the parties only: accepted partners);
 * milestones, funding applications and deliverables. Dates are ISO days (`YYYY-MM-DD`) as text.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table projects add column objective text`.execute(db);
  await sql`alter table projects add column domains text[] not null default '{}'`.execute(db);
  await sql`alter table projects add column territory text[] not null default '{}'`.execute(db);
  await sql`alter table projects add column status text not null default 'idea'
    check (status in ('idea', 'setup', 'running', 'closed'))`.execute(db);
  await sql`alter table projects add column updated_at timestamptz not null default now()`.execute(db);
  await sql`create index projects_status on projects (status, created_at)`.execute(db);
  await sql`alter table project_partners add column role text not null default 'partner'
    check (role in ('data_provider', 'data_user', 'partner'))`.execute(db);
  await sql`alter table project_partners add column joined_at timestamptz not null default now()`.execute(db);
  await sql`create index project_partners_organisation on project_partners (organisation_id)`.execute(db);
  await sql`
    create table project_invitations (
      project_id uuid not null references projects(id),
      organisation_id uuid not null references organisations(id),
      role text not null check (role in ('data_provider', 'data_user', 'partner')),
      state text not null default 'invited' check (state in ('invited', 'declined')),
      invited_by uuid references users(id),
      invited_at timestamptz not null default now(),
      decided_by uuid references users(id),
      decided_at timestamptz,
      primary key (project_id, organisation_id)
    )`.execute(db);
  await sql`
    create table project_milestones (
      project_id uuid not null references projects(id),
      position integer not null,
      title text not null,
      due_on text check (due_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
      done boolean not null default false,
      primary key (project_id, position)
    )`.execute(db);
  await sql`
    create table project_funding (
      project_id uuid not null references projects(id),
      position integer not null,
      call text not null,
      funder text not null,
      amount integer check (amount >= 0),
      status text not null check (status in ('draft', 'submitted', 'granted', 'refused')),
      submitted_on text check (submitted_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
      decided_on text check (decided_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
      primary key (project_id, position)
    )`.execute(db);
  await sql`
    create table project_deliverables (
      project_id uuid not null references projects(id),
      position integer not null,
      title text not null,
      kind text not null check (kind in ('report', 'dataset', 'dashboard', 'software', 'other')),
      link text,
      dataset_id uuid references datasets(id),
      due_on text check (due_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
      delivered_on text check (delivered_on ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
      primary key (project_id, position)
    )`.execute(db);
}
