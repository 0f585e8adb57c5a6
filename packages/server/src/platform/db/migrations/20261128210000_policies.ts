import { sql, type Kysely } from 'kysely';

/**
 * The ethics charter (versions and signatures) and offers (ODRL policies on datasets).
 * Versions, signatures and offer versions are never updated in place: a change is a new row,
 * so a contract can always cite the exact terms it agreed to.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table charter_versions (
      version text primary key,
      -- Publication order: the highest is the charter in force.
      position integer not null unique,
      title_fr text not null,
      title_en text not null,
      body_fr text not null,
      body_en text not null,
      rules jsonb not null,
      sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
      published_at timestamptz not null default now(),
      published_by uuid references users(id)
    )`.execute(db);
  await sql`
    create table charter_signatures (
      organisation_id uuid not null references organisations(id),
      version text not null references charter_versions(version),
      signed_at timestamptz not null default now(),
      signed_by uuid references users(id),
      primary key (organisation_id, version)
    )`.execute(db);
  // Whether an organisation signed the charter in force. The credential query asks it for every
  // membership (members-level data needs it); with no charter published there is nothing to sign.
  await sql`
    create function confiance_charter_signed(org uuid) returns boolean language sql stable as $$
      select coalesce((
        select (cv.rules->>'signatureRequired') = 'false'
               or exists (select 1 from charter_signatures s where s.organisation_id = org and s.version = cv.version)
        from charter_versions cv order by cv.position desc limit 1), true)
    $$`.execute(db);
  // A new charter version or a signature changes what members may see: cached credentials go.
  await sql`
    create function confiance_charter_changed() returns trigger language plpgsql as $$
    begin
      perform pg_notify('confiance_auth', '*');
      return null;
    end $$`.execute(db);
  await sql`create trigger charter_versions_auth_changed after insert on charter_versions for each statement execute function confiance_charter_changed()`.execute(
    db,
  );
  await sql`create trigger charter_signatures_auth_changed after insert or delete on charter_signatures for each statement execute function confiance_charter_changed()`.execute(
    db,
  );

  await sql`
    create table offers (
      id uuid primary key default gen_random_uuid(),
      dataset_id uuid not null references datasets(id),
      organisation_id uuid not null references organisations(id),
      title text not null,
      description text,
      agreement text not null check (agreement in ('automatic', 'provider_approval', 'ethics_review')),
      template text,
      terms jsonb,
      policy jsonb not null,
      uses text[] not null,
      status text not null default 'active' check (status in ('active', 'retired')),
      retired_reason text,
      retired_at timestamptz,
      version integer not null default 1,
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index offers_dataset on offers (dataset_id, status)`.execute(db);
  await sql`
    create table offer_versions (
      offer_id uuid not null references offers(id),
      version integer not null,
      title text not null,
      agreement text not null,
      policy jsonb not null,
      policy_sha256 text not null,
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      primary key (offer_id, version)
    )`.execute(db);
}
