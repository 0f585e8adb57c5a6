import { sql, type Kysely } from 'kysely';

/**
 * Governance (issue 10).
 * - `commissions`: the association's five commissions, created here (the fifth one, `custom`, is
 *   the operator's to name); `commission_members` with their role (chair or member).
 * - `commission_agenda` and `commission_documents` (a text, kept with its SHA-256, or a link).
 * - `votes`: a question put to one commission, with its quorum and majority rule; once closed it
 *   keeps the counts it was decided on. A gated vote carries the action waiting for it
 *   (`action_kind`, `action_payload`) and what became of it (`action_status`).
 * - `ballots`: one per member and vote (the unique key is what refuses a second ballot, even to
 *   two requests racing).
 * - `governance_gates`: which actions the operator puts behind which commission's vote (off by
 *   default: a fresh node behaves as before).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table commissions (
      id uuid primary key default gen_random_uuid(),
      slug text not null unique,
      kind text not null unique check (kind in ('ethics_charter', 'economic_model', 'network', 'projects', 'custom')),
      name text not null,
      description text not null default '',
      position integer not null,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    insert into commissions (slug, kind, name, description, position) values
      ('charte-ethique', 'ethics_charter', 'Commission charte éthique',
       'Rédige et fait évoluer la charte éthique ; examine les demandes sensibles qui lui sont renvoyées.', 1),
      ('modele-economique', 'economic_model', 'Commission modèle économique',
       'Propose la commission de l’association, les crédits de contribution et le partage de la valeur.', 2),
      ('animation-reseau', 'network', 'Commission animation du réseau',
       'Anime le réseau des membres : événements, actualités, accueil des nouveaux membres.', 3),
      ('projets', 'projects', 'Commission projets',
       'Suit les projets de cas d’usage, de l’idée à la clôture, et les besoins exprimés par les membres.', 4),
      ('commission-operateur', 'custom', 'Commission à nommer',
       'Une commission que l’opérateur nomme et dont il fixe le mandat.', 5)`.execute(db);
  await sql`
    create table commission_members (
      commission_id uuid not null references commissions(id) on delete cascade,
      user_id uuid not null references users(id),
      role text not null check (role in ('chair', 'member')),
      added_at timestamptz not null default now(),
      primary key (commission_id, user_id)
    )`.execute(db);
  await sql`create index commission_members_user on commission_members (user_id)`.execute(db);
  await sql`
    create table commission_agenda (
      id uuid primary key default gen_random_uuid(),
      commission_id uuid not null references commissions(id) on delete cascade,
      date date not null,
      title text not null,
      notes text not null default '',
      created_by uuid references users(id),
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    create table commission_documents (
      id uuid primary key default gen_random_uuid(),
      commission_id uuid not null references commissions(id) on delete cascade,
      title text not null,
      body text,
      url text,
      sha256 text,
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      check ((body is null) <> (url is null)),
      check ((body is null) = (sha256 is null))
    )`.execute(db);
  await sql`
    create table votes (
      id uuid primary key default gen_random_uuid(),
      commission_id uuid not null references commissions(id),
      question text not null,
      description text not null default '',
      quorum_percent integer not null check (quorum_percent between 0 and 100),
      majority text not null check (majority in ('simple', 'two_thirds', 'unanimity')),
      opens_at timestamptz not null default now(),
      closes_at timestamptz not null,
      status text not null default 'open' check (status in ('open', 'closed')),
      outcome text check (outcome in ('adopted', 'rejected', 'no_quorum')),
      pour integer,
      contre integer,
      abstention integer,
      eligible integer,
      action_kind text check (action_kind in ('charter_version', 'fee_change', 'ethics_review')),
      action_payload jsonb,
      action_actor uuid references users(id),
      action_status text check (action_status in ('pending', 'executed', 'rejected', 'failed')),
      action_error text,
      opened_by uuid references users(id),
      closed_by uuid references users(id),
      closed_at timestamptz,
      ledger_index bigint,
      created_at timestamptz not null default now(),
      check (closes_at > opens_at),
      check ((status = 'closed') = (outcome is not null)),
      check ((action_kind is null) = (action_status is null))
    )`.execute(db);
  await sql`create index votes_commission on votes (commission_id, created_at)`.execute(db);
  await sql`create index votes_open on votes (closes_at) where status = 'open'`.execute(db);
  await sql`
    create table ballots (
      vote_id uuid not null references votes(id) on delete cascade,
      user_id uuid not null references users(id),
      choice text not null check (choice in ('pour', 'contre', 'abstention')),
      cast_at timestamptz not null default now(),
      primary key (vote_id, user_id)
    )`.execute(db);
  await sql`
    create table governance_gates (
      action text primary key check (action in ('charter_version', 'fee_change', 'ethics_review')),
      enabled boolean not null default false,
      commission_id uuid not null references commissions(id),
      quorum_percent integer not null default 50 check (quorum_percent between 0 and 100),
      majority text not null default 'simple' check (majority in ('simple', 'two_thirds', 'unanimity')),
      duration_days integer not null default 7 check (duration_days between 1 and 365),
      updated_by uuid references users(id),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`
    insert into governance_gates (action, commission_id)
    select g.action, c.id from (values ('charter_version', 'ethics_charter'), ('fee_change', 'economic_model'),
                                       ('ethics_review', 'ethics_charter')) g(action, kind)
    join commissions c on c.kind = g.kind`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'governance_gates',
    'ballots',
    'votes',
    'commission_documents',
    'commission_agenda',
    'commission_members',
    'commissions',
  ]) {
    await sql`drop table if exists ${sql.raw(table)}`.execute(db);
  }
}
