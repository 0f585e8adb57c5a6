import { sql, type Kysely } from 'kysely';

/**
 * Billing (issue 9).
 * - `billing_settings`: the operator's settings, one row per version (never updated): a statement
 *   names the version whose fee it applied, so it can be recomputed after the fee changed.
 * - `invoice_sequences` + `invoices`: one unbroken numbering per seller. The number is taken by an
 *   UPDATE of the seller's sequence row in the transaction that inserts the invoice (not a
 *   PostgreSQL sequence, which leaves gaps on rollback), so a failed issue gives its number back
 *   and concurrent issues by one seller wait for each other. Invoices are never edited or deleted:
 *   a credit note (its own row and number) cancels one, and `credited` only marks it so that the
 *   period can be invoiced again. Amounts are integer cents.
 * - `project_revenues`: what a project earned or was granted, split between its contributors.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table billing_settings (
      version integer primary key check (version >= 1),
      settings jsonb not null,
      set_by uuid references users(id),
      set_at timestamptz not null default now(),
      ledger_index bigint
    )`.execute(db);
  await sql`
    create table invoice_sequences (
      seller_id uuid primary key references organisations(id),
      last_number integer not null default 0 check (last_number >= 0)
    )`.execute(db);
  await sql`
    create table invoices (
      id uuid primary key default gen_random_uuid(),
      seller_id uuid not null references organisations(id),
      buyer_id uuid not null references organisations(id),
      seq integer not null check (seq >= 1),
      number text not null unique,
      kind text not null check (kind in ('invoice', 'credit_note')),
      purpose text not null check (purpose in ('usage', 'fee')),
      under_mandate boolean not null,
      period text not null check (period ~ '^[0-9]{4}-[0-9]{2}$'),
      issue_date date not null,
      due_date date not null,
      net bigint not null,
      vat bigint not null,
      gross bigint not null,
      corrects_id uuid references invoices(id),
      credit_reason text,
      credited boolean not null default false,
      document jsonb not null,
      entries jsonb not null,
      checkpoint_size bigint not null,
      checkpoint_root text not null,
      settings_version integer not null,
      xml text not null,
      xml_sha256 text not null,
      issued_by uuid references users(id),
      created_at timestamptz not null default now(),
      ledger_index bigint,
      unique (seller_id, seq),
      check ((kind = 'credit_note') = (corrects_id is not null))
    )`.execute(db);
  // One live invoice per seller, buyer, period and purpose; a credited one may be issued again.
  await sql`
    create unique index invoices_one_live on invoices (seller_id, buyer_id, period, purpose)
    where kind = 'invoice' and not credited`.execute(db);
  await sql`create unique index invoices_one_credit_note on invoices (corrects_id) where corrects_id is not null`.execute(db);
  await sql`create index invoices_buyer on invoices (buyer_id, period)`.execute(db);
  await sql`
    create table project_revenues (
      id uuid primary key default gen_random_uuid(),
      project_id uuid not null references projects(id),
      label text not null,
      amount bigint not null check (amount > 0),
      received_on date not null,
      method text not null check (method in ('key', 'measured')),
      measure text check (measure in ('rows', 'cells', 'queries')),
      key jsonb,
      created_by uuid references users(id),
      created_at timestamptz not null default now(),
      ledger_index bigint
    )`.execute(db);
}
