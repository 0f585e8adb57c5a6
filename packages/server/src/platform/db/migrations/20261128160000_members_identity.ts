import { sql, type Kysely } from 'kysely';

// Migrations never import application code: they must keep working when the app changes.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create extension if not exists unaccent`.execute(db);
  await sql`
    create table organisations (
      id uuid primary key default gen_random_uuid(),
      slug text not null unique,
      legal_name text not null,
      short_name text not null,
      category text not null check (category in ('public_body','company','research','association')),
      siren text unique check (siren ~ '^[0-9]{9}$'),
      siret text check (siret ~ '^[0-9]{14}$'),
      vat_number text,
      naf_code text,
      address text,
      postcode text,
      city text,
      website text,
      logo_url text,
      domains text[] not null default '{}',
      chorus_service_code text,
      description text,
      status text not null default 'active' check (status in ('active','deactivated')),
      created_at timestamptz not null default now(),
      deactivated_at timestamptz
    )`.execute(db);
  await sql`
    create table users (
      id uuid primary key default gen_random_uuid(),
      email text not null unique check (email = lower(email)),
      display_name text not null,
      password_hash text,
      locale text not null default 'fr' check (locale in ('fr','en')),
      platform_roles text[] not null default '{}',
      status text not null default 'active' check (status in ('active','deactivated')),
      created_at timestamptz not null default now(),
      deactivated_at timestamptz
    )`.execute(db);
  await sql`
    create table memberships (
      organisation_id uuid not null references organisations(id),
      user_id uuid not null references users(id),
      role text not null check (role in ('org_admin','data_steward','analyst')),
      created_at timestamptz not null default now(),
      primary key (organisation_id, user_id)
    )`.execute(db);
  await sql`create index memberships_user on memberships(user_id)`.execute(db);
  await sql`
    create table invitations (
      id uuid primary key default gen_random_uuid(),
      organisation_id uuid not null references organisations(id),
      email text not null,
      role text not null check (role in ('org_admin','data_steward','analyst')),
      token_hash text not null unique,
      invited_by uuid references users(id),
      expires_at timestamptz not null,
      accepted_at timestamptz,
      revoked_at timestamptz,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    create table sessions (
      id uuid primary key default gen_random_uuid(),
      token_hash text not null unique,
      user_id uuid not null references users(id),
      csrf_token text not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      last_seen_at timestamptz not null default now(),
      user_agent text,
      ip text
    )`.execute(db);
  await sql`create index sessions_user on sessions(user_id)`.execute(db);
  await sql`
    create table api_tokens (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users(id),
      name text not null,
      prefix text not null,
      token_hash text not null unique,
      scopes text[] not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz,
      last_used_at timestamptz,
      revoked_at timestamptz
    )`.execute(db);
  await sql`create index api_tokens_user on api_tokens(user_id)`.execute(db);
  await sql`
    create table password_resets (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users(id),
      token_hash text not null unique,
      expires_at timestamptz not null,
      used_at timestamptz,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    create table jobs (
      id uuid primary key default gen_random_uuid(),
      kind text not null,
      payload jsonb not null,
      status text not null default 'pending' check (status in ('pending','running','done','failed')),
      attempts integer not null default 0,
      max_attempts integer not null default 5,
      run_at timestamptz not null default now(),
      locked_at timestamptz,
      last_error text,
      created_at timestamptz not null default now(),
      finished_at timestamptz
    )`.execute(db);
  await sql`create index jobs_due on jobs(run_at) where status = 'pending'`.execute(db);
  await sql`
    create table node_state (
      key text primary key,
      value jsonb not null,
      updated_at timestamptz not null default now()
    )`.execute(db);
}
