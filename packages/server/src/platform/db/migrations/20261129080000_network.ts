import { sql, type Kysely } from 'kysely';

/**
 * The network: needs posted by members and the providers' answers (one per organisation and
 * need, enforced by a unique key so two stewards answering at once cannot both pass), and news posts.
 * The weekly digest (mailing module) reads `needs` directly: its columns are a shared interface.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table needs (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisations(id),
      author_id uuid not null references users(id),
      title text not null,
      description text not null,
      domain text not null,
      territory text[] not null,
      purpose text not null,
      wanted_by date,
      status text not null default 'open' check (status in ('open', 'answered', 'project', 'closed')),
      project_id uuid references projects(id),
      closed_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index needs_status on needs (status, created_at desc)`.execute(db);
  await sql`create index needs_organisation on needs (organisation_id, created_at desc)`.execute(db);
  await sql`
    create table need_answers (
      id uuid primary key default gen_random_uuid(),
      need_id uuid not null references needs(id),
      organisation_id uuid not null references organisations(id),
      author_id uuid not null references users(id),
      kind text not null check (kind in ('dataset', 'plan', 'refusal')),
      dataset_id uuid references datasets(id),
      expected_at date,
      message text not null default '',
      created_at timestamptz not null default now(),
      unique (need_id, organisation_id),
      check ((kind = 'dataset') = (dataset_id is not null)),
      check ((kind = 'plan') = (expected_at is not null))
    )`.execute(db);
  await sql`
    create table news_posts (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid references organisations(id),
      author_id uuid not null references users(id),
      title text not null,
      body text not null,
      published_at timestamptz not null default now(),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index news_posts_published on news_posts (published_at desc)`.execute(db);
}
