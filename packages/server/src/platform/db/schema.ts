import type { ColumnType, Generated, RawBuilder } from 'kysely';

/** Row types of every table, as the database returns them. Kept in step with migrations/. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface OrganisationsTable {
  id: Generated<string>;
  slug: string;
  legal_name: string;
  short_name: string;
  category: string;
  siren: string | null;
  siret: string | null;
  vat_number: string | null;
  naf_code: string | null;
  address: string | null;
  postcode: string | null;
  city: string | null;
  website: string | null;
  logo_url: string | null;
  domains: ColumnType<string[], string[] | undefined, string[]>;
  chorus_service_code: string | null;
  description: string | null;
  status: Generated<string>;
  created_at: Generated<Date>;
  deactivated_at: NullableTimestamp;
}

export interface UsersTable {
  id: Generated<string>;
  email: string;
  display_name: string;
  password_hash: string | null;
  locale: Generated<string>;
  platform_roles: ColumnType<string[], string[] | undefined, string[]>;
  status: Generated<string>;
  created_at: Generated<Date>;
  deactivated_at: NullableTimestamp;
}

export interface MembershipsTable {
  organisation_id: string;
  user_id: string;
  role: string;
  created_at: Generated<Date>;
}

export interface InvitationsTable {
  id: Generated<string>;
  organisation_id: string;
  email: string;
  role: string;
  token_hash: string;
  invited_by: string | null;
  expires_at: Timestamp;
  accepted_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  created_at: Generated<Date>;
}

export interface SessionsTable {
  id: Generated<string>;
  token_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: Generated<Date>;
  expires_at: Timestamp;
  last_seen_at: Generated<Date>;
  user_agent: string | null;
  ip: string | null;
}

export interface ApiTokensTable {
  id: Generated<string>;
  user_id: string;
  name: string;
  prefix: string;
  token_hash: string;
  scopes: ColumnType<string[], string[], string[]>;
  created_at: Generated<Date>;
  expires_at: NullableTimestamp;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface PasswordResetsTable {
  id: Generated<string>;
  user_id: string;
  token_hash: string;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
  created_at: Generated<Date>;
}

export interface JobsTable {
  id: Generated<string>;
  kind: string;
  payload: ColumnType<unknown, string, string>;
  status: Generated<string>;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  run_at: Generated<Date>;
  locked_at: NullableTimestamp;
  last_error: string | null;
  created_at: Generated<Date>;
  finished_at: NullableTimestamp;
}

export interface NodeStateTable {
  key: string;
  value: ColumnType<unknown, string, string>;
  updated_at: Generated<Date>;
}

/** jsonb columns: read as parsed values, written as JSON text. */
type Json<T> = ColumnType<T, string, string>;

export interface DatasetsTable {
  id: Generated<string>;
  slug: string;
  organisation_id: string;
  status: 'published' | 'deprecated' | 'withdrawn';
  access_level: 'open' | 'members' | 'restricted' | 'aggregate_only';
  licence: string;
  title_fr: string;
  title_en: string | null;
  description_fr: string;
  description_en: string | null;
  contact_name: string | null;
  contact_email: string | null;
  themes: string[];
  domains: string[];
  keywords: string[];
  spatial: Json<unknown>;
  departements: string[];
  temporal_start: ColumnType<string | null, string | null, string | null>;
  temporal_end: ColumnType<string | null, string | null, string | null>;
  frequency: string | null;
  attribution: string | null;
  formats: string[];
  current_version: number;
  /** Written as `searchDocument(…)` (modules/catalog/search.ts), in the same statement as the row; never read back. */
  search: ColumnType<never, RawBuilder<unknown>, RawBuilder<unknown>>;
  issued: Generated<Date>;
  modified: Generated<Date>;
  created_by: string | null;
  deprecated_at: NullableTimestamp;
  deprecation_note: string | null;
  withdrawn_at: NullableTimestamp;
  withdrawal_reason: string | null;
}

export interface DatasetVersionsTable {
  dataset_id: string;
  number: number;
  notes: string | null;
  published_at: Generated<Date>;
  published_by: string | null;
  row_count: ColumnType<string | number, number, number>;
  byte_size: ColumnType<string | number, number, number>;
  source: Json<unknown>;
  tables: Json<unknown>;
}

export interface UploadsTable {
  id: Generated<string>;
  user_id: string;
  file_name: string;
  format: string | null;
  byte_size: ColumnType<string | number, number | undefined, number>;
  status: 'ingesting' | 'ready' | 'failed' | 'published';
  error: ColumnType<unknown, string | null | undefined, string | null>;
  result: ColumnType<unknown, string | null | undefined, string | null>;
  created_at: Generated<Date>;
  expires_at: Generated<Date>;
}

export interface LedgerEntriesTable {
  tree_index: string | number;
  type: string;
  time: string;
  public: ColumnType<unknown, string, never>;
  commitment: string;
  leaf: ColumnType<Buffer, Buffer, never>;
  parties: ColumnType<string[], string[] | undefined, never>;
  /** Null once erased, with `details`. */
  salt: ColumnType<Buffer | null, Buffer, null>;
  details: ColumnType<unknown, string, null>;
}

export interface LedgerNodesTable {
  level: number;
  idx: string | number;
  hash: Buffer;
}

export interface LedgerCheckpointsTable {
  size: ColumnType<string | number, number, never>;
  root: Buffer;
  note: string;
  created_at: Generated<Date>;
}

export interface LedgerCosignaturesTable {
  size: ColumnType<string | number, number, never>;
  witness: string;
  time: ColumnType<string | number, number, number>;
  line: string;
}

export interface CharterVersionsTable {
  version: string;
  position: number;
  title_fr: string;
  title_en: string;
  body_fr: string;
  body_en: string;
  rules: Json<unknown>;
  sha256: string;
  published_at: Generated<Date>;
  published_by: string | null;
}

export interface CharterSignaturesTable {
  organisation_id: string;
  version: string;
  signed_at: Generated<Date>;
  signed_by: string | null;
}

export interface OffersTable {
  id: Generated<string>;
  dataset_id: string;
  organisation_id: string;
  title: string;
  description: string | null;
  agreement: 'automatic' | 'provider_approval' | 'ethics_review';
  template: string | null;
  terms: ColumnType<unknown, string | null, string | null>;
  policy: Json<unknown>;
  uses: ColumnType<string[], string[], string[]>;
  status: Generated<'active' | 'retired'>;
  retired_reason: string | null;
  retired_at: NullableTimestamp;
  version: Generated<number>;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface OfferVersionsTable {
  offer_id: string;
  version: number;
  title: string;
  agreement: string;
  policy: Json<unknown>;
  policy_sha256: string;
  created_by: string | null;
  created_at: Generated<Date>;
}

export type ProjectStatusColumn = 'idea' | 'setup' | 'running' | 'closed';

export interface ProjectsTable {
  id: Generated<string>;
  title: string;
  purpose: string;
  description: string | null;
  lead_organisation_id: string;
  created_by: string | null;
  created_at: Generated<Date>;
  objective: string | null;
  domains: ColumnType<string[], string[] | undefined, string[]>;
  /** Occitanie département codes. */
  territory: ColumnType<string[], string[] | undefined, string[]>;
  status: ColumnType<ProjectStatusColumn, ProjectStatusColumn | undefined, ProjectStatusColumn>;
  updated_at: Generated<Date>;
}

/** The parties besides the lead: accepted partners only (invitations wait in `project_invitations`). */
export interface ProjectPartnersTable {
  project_id: string;
  organisation_id: string;
  role: Generated<'data_provider' | 'data_user' | 'partner'>;
  joined_at: Generated<Date>;
}

export interface ProjectInvitationsTable {
  project_id: string;
  organisation_id: string;
  role: 'data_provider' | 'data_user' | 'partner';
  state: Generated<'invited' | 'declined'>;
  invited_by: string | null;
  invited_at: Generated<Date>;
  decided_by: string | null;
  decided_at: Date | null;
}

/** A dataset attached to a project (open data it uses without a contract, or any dataset it names). */
export interface ProjectDatasetsTable {
  project_id: string;
  dataset_id: string;
  attached_by: string | null;
  /** The party (lead or partner) on whose behalf it was attached. */
  organisation_id: string | null;
  note: string | null;
  attached_at: Generated<Date>;
}

/** Dates are ISO days as text. */
export interface ProjectMilestonesTable {
  project_id: string;
  position: number;
  title: string;
  due_on: string | null;
  done: boolean;
}

export interface ProjectFundingTable {
  project_id: string;
  position: number;
  call: string;
  funder: string;
  amount: number | null;
  status: 'draft' | 'submitted' | 'granted' | 'refused';
  submitted_on: string | null;
  decided_on: string | null;
}

export interface ProjectDeliverablesTable {
  project_id: string;
  position: number;
  title: string;
  kind: 'report' | 'dataset' | 'dashboard' | 'software' | 'other';
  link: string | null;
  dataset_id: string | null;
  due_on: string | null;
  delivered_on: string | null;
}

export type NegotiationStateColumn = 'REQUESTED' | 'AGREED' | 'VERIFIED' | 'FINALIZED' | 'TERMINATED';
export type RequestStageColumn = 'provider_review' | 'ethics_review' | 'agreed' | 'refused' | 'withdrawn';

export interface AccessRequestsTable {
  id: Generated<string>;
  offer_id: string;
  offer_version: number;
  dataset_id: string;
  provider_id: string;
  consumer_id: string;
  project_id: string | null;
  purpose: string;
  duration_months: number;
  use: string;
  justification: string;
  users: ColumnType<string[], string[], string[]>;
  state: NegotiationStateColumn;
  stage: RequestStageColumn;
  decision: Json<unknown>;
  reason: string | null;
  requested_by: string;
  decided_by: string | null;
  decided_at: NullableTimestamp;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface EthicsReviewsTable {
  id: Generated<string>;
  request_id: string;
  state: Generated<'pending' | 'decided'>;
  decision: 'approved' | 'conditions' | 'rejected' | null;
  checklist: ColumnType<unknown, string | null | undefined, string | null>;
  conditions: string | null;
  reasons: string | null;
  reviewer_id: string | null;
  decided_at: NullableTimestamp;
  created_at: Generated<Date>;
}

export type ContractStateColumn = 'active' | 'suspended' | 'terminated' | 'expired';

export interface ContractsTable {
  id: Generated<string>;
  request_id: string;
  offer_id: string;
  offer_version: number;
  dataset_id: string;
  provider_id: string;
  consumer_id: string;
  project_id: string | null;
  purpose: string;
  use: string;
  users: ColumnType<string[], string[], string[]>;
  granted_uses: ColumnType<string[], string[], string[]>;
  state: Generated<ContractStateColumn>;
  version: Generated<number>;
  agreement: Json<unknown>;
  jws: string;
  conditions: string | null;
  valid_from: Timestamp;
  valid_until: Timestamp;
  termination_reason: string | null;
  terminated_by: string | null;
  expiry_notified: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface ContractVersionsTable {
  contract_id: string;
  version: number;
  agreement: Json<unknown>;
  jws: string;
  valid_until: Timestamp;
  created_at: Generated<Date>;
}

export interface ContractEventsTable {
  id: Generated<string>;
  contract_id: string;
  kind: string;
  version: number;
  organisation_id: string | null;
  user_id: string | null;
  reason: string | null;
  at: Generated<Date>;
}

export interface ContractAmendmentsTable {
  id: Generated<string>;
  contract_id: string;
  state: Generated<'proposed' | 'accepted' | 'rejected'>;
  proposed_by: string;
  duration_months: number | null;
  latest_offer: Generated<boolean>;
  reason: string;
  created_by: string | null;
  created_at: Generated<Date>;
  decided_at: NullableTimestamp;
}

export interface NotificationsTable {
  id: Generated<string>;
  user_id: string;
  kind: string;
  title: string;
  link: string;
  read_at: NullableTimestamp;
  created_at: Generated<Date>;
}

export interface DataQueriesTable {
  id: Generated<string>;
  dataset_id: string;
  contract_id: string | null;
  /** The other contract of a pseudonymised join. */
  join_contract_id: ColumnType<string | null, string | null | undefined, string | null>;
  user_id: string | null;
  organisation_id: string | null;
  mode: 'rows' | 'aggregate' | 'sql';
  format: 'json' | 'csv' | 'parquet';
  state: Generated<'running' | 'completed' | 'failed' | 'refused'>;
  refusal: string | null;
  error: string | null;
  delivered_rows: ColumnType<string | number | null, number | null | undefined, number | null>;
  cells_suppressed: number | null;
  started_at: Generated<Date>;
  completed_at: NullableTimestamp;
}

/** Integers as text from pg (bigint), as numbers or text from PGlite: read with `BigInt(…)`. */
export interface PrivacyBudgetsTable {
  contract_id: string;
  epsilon_total: ColumnType<string | number, string, string>;
  epsilon_spent: ColumnType<string | number, string | undefined, string>;
  delta_total: ColumnType<string | number, string | undefined, string>;
  delta_spent: ColumnType<string | number, string | undefined, string>;
  updated_at: Generated<Date>;
}

/** One cell released under a contract (differencing protection, releases.ts). */
export interface ReleasedCellsTable {
  contract_id: string;
  history_key: string;
  seq: number;
  /** Run-length atom set: `start,end,start,end…`, half-open runs. */
  atoms: string;
  value: number | null;
  query_id: string;
  released_at: Generated<Date>;
}

/** bigint columns: text from pg, number from PGlite — read with `Number(…)` (cents stay far below 2^53). */
type BigIntColumn = ColumnType<string | number, number, number>;

export interface BillingSettingsTable {
  version: number;
  settings: Json<unknown>;
  set_by: string | null;
  set_at: Generated<Date>;
  ledger_index: ColumnType<string | number | null, number | null | undefined, number | null>;
}

export interface InvoiceSequencesTable {
  seller_id: string;
  last_number: Generated<number>;
}

export interface InvoicesTable {
  id: Generated<string>;
  seller_id: string;
  buyer_id: string;
  seq: number;
  number: string;
  kind: 'invoice' | 'credit_note';
  purpose: 'usage' | 'fee';
  under_mandate: boolean;
  period: string;
  issue_date: ColumnType<Date | string, string, string>;
  due_date: ColumnType<Date | string, string, string>;
  net: BigIntColumn;
  vat: BigIntColumn;
  gross: BigIntColumn;
  corrects_id: string | null;
  credit_reason: string | null;
  credited: Generated<boolean>;
  document: Json<unknown>;
  entries: Json<number[]>;
  checkpoint_size: BigIntColumn;
  checkpoint_root: string;
  settings_version: number;
  xml: string;
  xml_sha256: string;
  issued_by: string | null;
  created_at: Generated<Date>;
  ledger_index: ColumnType<string | number | null, number | null | undefined, number | null>;
}

export interface ProjectRevenuesTable {
  id: Generated<string>;
  project_id: string;
  label: string;
  amount: BigIntColumn;
  received_on: ColumnType<Date | string, string, string>;
  method: 'key' | 'measured';
  measure: 'rows' | 'cells' | 'queries' | null;
  key: Json<Record<string, string> | null>;
  created_by: string | null;
  created_at: Generated<Date>;
  ledger_index: ColumnType<string | number | null, number | null | undefined, number | null>;
}

export interface EventsTable {
  id: Generated<string>;
  title: string;
  kind: 'atelier' | 'hackathon' | 'webinaire' | 'reunion';
  description: Generated<string>;
  starts_at: Timestamp;
  ends_at: Timestamp;
  place: string | null;
  online_url: string | null;
  organisation_id: string;
  capacity: number | null;
  registration_deadline: NullableTimestamp;
  status: Generated<'scheduled' | 'cancelled'>;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface EventRegistrationsTable {
  event_id: string;
  user_id: string;
  created_at: Generated<Date>;
}

export interface NotificationPreferencesTable {
  user_id: string;
  topic: string;
  email: boolean;
  updated_at: Generated<Date>;
}

export interface MailFailuresTable {
  id: Generated<string>;
  recipient: string;
  user_id: string | null;
  subject: string;
  response_code: number | null;
  response: string;
  permanent: boolean;
  created_at: Generated<Date>;
}

// --- network: needs board and news ---------------------------------------------------------------

export interface NeedsTable {
  id: Generated<string>;
  organisation_id: string;
  author_id: string;
  title: string;
  description: string;
  domain: string;
  territory: string[];
  purpose: string;
  /** A `date`: read it with `to_char(…, 'YYYY-MM-DD')` (the drivers disagree on its JS type). */
  wanted_by: ColumnType<unknown, string | null, string | null>;
  status: Generated<'open' | 'answered' | 'project' | 'closed'>;
  project_id: string | null;
  closed_at: Date | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface NeedAnswersTable {
  id: Generated<string>;
  need_id: string;
  organisation_id: string;
  author_id: string;
  kind: 'dataset' | 'plan' | 'refusal';
  dataset_id: string | null;
  expected_at: ColumnType<unknown, string | null, string | null>;
  message: Generated<string>;
  created_at: Generated<Date>;
}

export interface NewsPostsTable {
  id: Generated<string>;
  organisation_id: string | null;
  author_id: string;
  title: string;
  body: string;
  published_at: Generated<Date>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

// Governance (issue 10)
export interface CommissionsTable {
  id: Generated<string>;
  slug: string;
  kind: 'ethics_charter' | 'economic_model' | 'network' | 'projects' | 'custom';
  name: string;
  description: Generated<string>;
  position: number;
  created_at: Generated<Date>;
}

export interface CommissionMembersTable {
  commission_id: string;
  user_id: string;
  role: 'chair' | 'member';
  added_at: Generated<Date>;
}

export interface CommissionAgendaTable {
  id: Generated<string>;
  commission_id: string;
  date: ColumnType<Date | string, string, string>;
  title: string;
  notes: Generated<string>;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface CommissionDocumentsTable {
  id: Generated<string>;
  commission_id: string;
  title: string;
  body: string | null;
  url: string | null;
  sha256: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface VotesTable {
  id: Generated<string>;
  commission_id: string;
  question: string;
  description: Generated<string>;
  quorum_percent: number;
  majority: 'simple' | 'two_thirds' | 'unanimity';
  opens_at: Timestamp;
  closes_at: Timestamp;
  status: Generated<'open' | 'closed'>;
  outcome: 'adopted' | 'rejected' | 'no_quorum' | null;
  pour: number | null;
  contre: number | null;
  abstention: number | null;
  eligible: number | null;
  action_kind: 'charter_version' | 'fee_change' | 'ethics_review' | null;
  action_payload: ColumnType<unknown, string | null, string | null>;
  action_actor: string | null;
  action_status: 'pending' | 'executed' | 'rejected' | 'failed' | null;
  action_error: string | null;
  opened_by: string | null;
  closed_by: string | null;
  closed_at: NullableTimestamp;
  ledger_index: ColumnType<string | number | null, number | null | undefined, number | null>;
  created_at: Generated<Date>;
}

export interface BallotsTable {
  vote_id: string;
  user_id: string;
  choice: 'pour' | 'contre' | 'abstention';
  cast_at: Generated<Date>;
}

export interface GovernanceGatesTable {
  action: 'charter_version' | 'fee_change' | 'ethics_review';
  enabled: Generated<boolean>;
  commission_id: string;
  quorum_percent: Generated<number>;
  majority: Generated<'simple' | 'two_thirds' | 'unanimity'>;
  duration_days: Generated<number>;
  updated_by: string | null;
  updated_at: Generated<Date>;
}

export interface Database {
  organisations: OrganisationsTable;
  users: UsersTable;
  memberships: MembershipsTable;
  invitations: InvitationsTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  password_resets: PasswordResetsTable;
  jobs: JobsTable;
  node_state: NodeStateTable;
  datasets: DatasetsTable;
  dataset_versions: DatasetVersionsTable;
  uploads: UploadsTable;
  ledger_entries: LedgerEntriesTable;
  ledger_nodes: LedgerNodesTable;
  ledger_checkpoints: LedgerCheckpointsTable;
  ledger_cosignatures: LedgerCosignaturesTable;
  charter_versions: CharterVersionsTable;
  charter_signatures: CharterSignaturesTable;
  offers: OffersTable;
  offer_versions: OfferVersionsTable;
  projects: ProjectsTable;
  project_partners: ProjectPartnersTable;
  project_invitations: ProjectInvitationsTable;
  project_milestones: ProjectMilestonesTable;
  project_funding: ProjectFundingTable;
  project_deliverables: ProjectDeliverablesTable;
  project_datasets: ProjectDatasetsTable;
  access_requests: AccessRequestsTable;
  ethics_reviews: EthicsReviewsTable;
  contracts: ContractsTable;
  contract_versions: ContractVersionsTable;
  contract_events: ContractEventsTable;
  contract_amendments: ContractAmendmentsTable;
  notifications: NotificationsTable;
  data_queries: DataQueriesTable;
  privacy_budgets: PrivacyBudgetsTable;
  released_cells: ReleasedCellsTable;
  billing_settings: BillingSettingsTable;
  invoice_sequences: InvoiceSequencesTable;
  invoices: InvoicesTable;
  project_revenues: ProjectRevenuesTable;
  needs: NeedsTable;
  need_answers: NeedAnswersTable;
  news_posts: NewsPostsTable;
  events: EventsTable;
  event_registrations: EventRegistrationsTable;
  notification_preferences: NotificationPreferencesTable;
  mail_failures: MailFailuresTable;
  commissions: CommissionsTable;
  commission_members: CommissionMembersTable;
  commission_agenda: CommissionAgendaTable;
  commission_documents: CommissionDocumentsTable;
  votes: VotesTable;
  ballots: BallotsTable;
  governance_gates: GovernanceGatesTable;
}
