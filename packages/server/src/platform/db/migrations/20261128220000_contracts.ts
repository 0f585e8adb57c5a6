import { sql, type Kysely } from 'kysely';

/**
 * Minimal projects, access requests (DSP negotiation states), ethics reviews, contracts (DSP
 * transfer states) with their versions, history and amendments, and in-app notifications.
 * `contracts.request_id` is unique: two approvals racing for one request cannot make two contracts.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table projects (
      id uuid primary key default gen_random_uuid(),
      title text not null,
      purpose text not null,
      description text,
      lead_organisation_id uuid not null references organisations(id),
      created_by uuid references users(id),
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    create table project_partners (
      project_id uuid not null references projects(id),
      organisation_id uuid not null references organisations(id),
      primary key (project_id, organisation_id)
    )`.execute(db);
  await sql`
    create table access_requests (
      id uuid primary key default gen_random_uuid(),
      offer_id uuid not null references offers(id),
      offer_version integer not null,
      dataset_id uuid not null references datasets(id),
      provider_id uuid not null references organisations(id),
      consumer_id uuid not null references organisations(id),
      project_id uuid references projects(id),
      purpose text not null,
      duration_months integer not null check (duration_months between 1 and 120),
      use text not null,
      justification text not null,
      users uuid[] not null,
      state text not null check (state in ('REQUESTED', 'AGREED', 'VERIFIED', 'FINALIZED', 'TERMINATED')),
      stage text not null check (stage in ('provider_review', 'ethics_review', 'agreed', 'refused', 'withdrawn')),
      decision jsonb not null,
      reason text,
      requested_by uuid not null references users(id),
      decided_by uuid references users(id),
      decided_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index access_requests_consumer on access_requests (consumer_id, created_at desc)`.execute(db);
  await sql`create index access_requests_provider on access_requests (provider_id, created_at desc)`.execute(db);
  await sql`
    create table ethics_reviews (
      id uuid primary key default gen_random_uuid(),
      request_id uuid not null unique references access_requests(id),
      state text not null default 'pending' check (state in ('pending', 'decided')),
      decision text check (decision in ('approved', 'conditions', 'rejected')),
      checklist jsonb,
      conditions text,
      reasons text,
      reviewer_id uuid references users(id),
      decided_at timestamptz,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    create table contracts (
      id uuid primary key default gen_random_uuid(),
      request_id uuid not null unique references access_requests(id),
      offer_id uuid not null references offers(id),
      offer_version integer not null,
      dataset_id uuid not null references datasets(id),
      provider_id uuid not null references organisations(id),
      consumer_id uuid not null references organisations(id),
      project_id uuid references projects(id),
      purpose text not null,
      use text not null,
      users uuid[] not null,
      -- What the agreement grants (uses of DATA_USES), kept beside it so every data request can
      -- check it with one indexed query.
      granted_uses text[] not null,
      state text not null default 'active' check (state in ('active', 'suspended', 'terminated', 'expired')),
      version integer not null default 1,
      agreement jsonb not null,
      jws text not null,
      conditions text,
      valid_from timestamptz not null,
      valid_until timestamptz not null,
      termination_reason text,
      terminated_by uuid references organisations(id),
      expiry_notified boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index contracts_dataset on contracts (dataset_id, state)`.execute(db);
  await sql`
    create table contract_versions (
      contract_id uuid not null references contracts(id),
      version integer not null,
      agreement jsonb not null,
      jws text not null,
      valid_until timestamptz not null,
      created_at timestamptz not null default now(),
      primary key (contract_id, version)
    )`.execute(db);
  await sql`
    create table contract_events (
      id bigserial primary key,
      contract_id uuid not null references contracts(id),
      kind text not null,
      version integer not null,
      organisation_id uuid references organisations(id),
      user_id uuid references users(id),
      reason text,
      at timestamptz not null default now()
    )`.execute(db);
  await sql`
    create table contract_amendments (
      id uuid primary key default gen_random_uuid(),
      contract_id uuid not null references contracts(id),
      state text not null default 'proposed' check (state in ('proposed', 'accepted', 'rejected')),
      proposed_by uuid not null references organisations(id),
      duration_months integer,
      latest_offer boolean not null default false,
      reason text not null,
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      decided_at timestamptz
    )`.execute(db);
  // One open amendment per contract at a time.
  await sql`create unique index contract_amendments_open on contract_amendments (contract_id) where state = 'proposed'`.execute(db);
  await sql`
    create table notifications (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users(id),
      kind text not null,
      title text not null,
      link text not null,
      read_at timestamptz,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index notifications_user on notifications (user_id, created_at desc)`.execute(db);
}
