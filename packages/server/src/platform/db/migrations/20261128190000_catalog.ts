import { sql, type Kysely } from 'kysely';

/**
 * The catalog: datasets, their immutable versions, and uploads on their way to becoming one.
 *
 * Search uses a text-search configuration `confiance_fr`: PostgreSQL's `french` stemmer behind the
 * `unaccent` dictionary, so "Hérault", "herault" and "HÉRAULT" are one word and "hospitalisations"
 * matches "hospitalisation". The document (`search`) is written by the repository in the same
 * statement as the row (unaccent is not immutable, so it cannot be a generated column).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create extension if not exists unaccent`.execute(db);
  await sql`create text search configuration confiance_fr (copy = french)`.execute(db);
  await sql`
    alter text search configuration confiance_fr
      alter mapping for hword, hword_part, word with unaccent, french_stem`.execute(db);
  await sql`
    create table datasets (
      id uuid primary key default gen_random_uuid(),
      slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
      organisation_id uuid not null references organisations(id),
      status text not null check (status in ('published','deprecated','withdrawn')),
      access_level text not null check (access_level in ('open','members','restricted','aggregate_only')),
      licence text not null,
      title_fr text not null,
      title_en text,
      description_fr text not null,
      description_en text,
      contact_name text,
      contact_email text,
      themes text[] not null default '{}',
      domains text[] not null default '{}',
      keywords text[] not null default '{}',
      spatial jsonb not null default '[]',
      departements text[] not null default '{}',
      temporal_start date,
      temporal_end date,
      frequency text,
      attribution text,
      formats text[] not null default '{}',
      current_version integer not null check (current_version >= 1),
      search tsvector not null,
      issued timestamptz not null default now(),
      modified timestamptz not null default now(),
      created_by uuid references users(id),
      deprecated_at timestamptz,
      deprecation_note text,
      withdrawn_at timestamptz,
      withdrawal_reason text
    )`.execute(db);
  await sql`create index datasets_search on datasets using gin (search)`.execute(db);
  await sql`create index datasets_organisation on datasets(organisation_id)`.execute(db);
  await sql`create index datasets_modified on datasets(modified desc)`.execute(db);
  await sql`
    create table dataset_versions (
      dataset_id uuid not null references datasets(id),
      number integer not null check (number >= 1),
      notes text,
      published_at timestamptz not null default now(),
      published_by uuid references users(id),
      row_count bigint not null,
      byte_size bigint not null,
      source jsonb not null,
      tables jsonb not null,
      primary key (dataset_id, number)
    )`.execute(db);
  await sql`
    create table uploads (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users(id),
      file_name text not null,
      format text,
      byte_size bigint not null default 0,
      status text not null check (status in ('ingesting','ready','failed','published')),
      error jsonb,
      result jsonb,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null default now() + interval '1 day'
    )`.execute(db);
  await sql`create index uploads_user on uploads(user_id, created_at desc)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table uploads`.execute(db);
  await sql`drop table dataset_versions`.execute(db);
  await sql`drop table datasets`.execute(db);
  await sql`drop text search configuration confiance_fr`.execute(db);
}
