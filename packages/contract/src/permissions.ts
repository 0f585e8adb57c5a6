/**
 * The one authorization table. The server checks every route against it (one hook), and the web
 * and CLI call the same `can()` to decide which actions to show. Later modules append rules here.
 *
 * A rule grants `action` on `subject` to a role. Organisation roles only count inside the
 * organisation the resource belongs to: an org admin of Tisséo is nobody at Airbus.
 */

export const PLATFORM_ROLES = ['operator', 'ethics_member'] as const;
export type PlatformRole = (typeof PLATFORM_ROLES)[number];

export const ORG_ROLES = ['org_admin', 'data_steward', 'analyst'] as const;
export type OrgRole = (typeof ORG_ROLES)[number];

/** Pseudo-roles: `anyone` includes anonymous visitors, `user` is any signed-in, active user. */
export type Role = 'anyone' | 'user' | PlatformRole | OrgRole;

export const TOKEN_SCOPES = ['read', 'write'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export const ACTIONS = ['read', 'list', 'create', 'update', 'delete', 'deactivate', 'manage'] as const;
export type Action = (typeof ACTIONS)[number];

/** Actions a `read`-scoped API token may perform; everything else needs `write`. */
const READ_ACTIONS: ReadonlySet<Action> = new Set(['read', 'list']);

export const SUBJECTS = [
  'System',
  'Organisation',
  'Membership',
  'Invitation',
  'User',
  'Session',
  'ApiToken',
  'Metrics',
  /** A dataset's metadata and versions (public once published). */
  'Dataset',
  /** A dataset's rows: preview table and charts. */
  'DatasetData',
  /** A dataset's files: downloads. */
  'DatasetFile',
  /** Queries computed where the data lives (structured or restricted SQL), within the caller's grant. */
  'DatasetQuery',
  /** A file on its way to becoming a dataset version. */
  'Upload',
  /** The ledger: checkpoints, tiles, proofs and the public parts of entries. */
  'Ledger',
  /** The private details of a ledger entry. */
  'LedgerDetails',
  /** A witness's cosignature of a checkpoint. */
  'Cosignature',
  /** The ethics charter's versions. */
  'Charter',
  /** An organisation's signature of the charter. */
  'CharterSignature',
  /** A provider's offer on a dataset (an ODRL policy). */
  'Offer',
  /** A decision preview: would this offer be granted to one organisation for this purpose? */
  'Decision',
  /** A minimal project: the party a contract can be assigned to. */
  'Project',
  /** An access request, from a consumer organisation to a provider. */
  'AccessRequest',
  /** The ethics commission's review of a request. */
  'Review',
  /** A contract (an ODRL Agreement) between a provider and a consumer or project. */
  'Contract',
  /** A user's in-app notifications. */
  'Notification',
  /** The operator's billing settings: the association's fee, credits, payment terms. */
  'BillingSettings',
  /** What a use would cost under a contract or an offer. */
  'Estimate',
  /** An organisation's monthly statement, computed from the ledger. */
  'Statement',
  /** An invoice or credit note issued by the node (in a provider's name under mandate, or the association's). */
  'Invoice',
  /** A project's revenues and their split between the contributors (fair return). */
  'FairReturn',
  /** A project's partners: invitations, answers, removals. */
  'ProjectPartner',
  /** A dataset attached to a project (open data it uses without a contract, or one it names). */
  'ProjectDataset',
  /** One of the association's commissions: its name, description, members. */
  'Commission',
  /** A commission's agenda items and documents. */
  'CommissionRecord',
  /** A vote held in a commission. */
  'Vote',
  /** A member's ballot in a vote; listing them shows who voted what. */
  'Ballot',
  /** Which actions the operator puts behind a commission's vote. */
  'GovernanceGate',
  /** A member's need for data, on the needs board. */
  'Need',
  /** A provider's answer to a need: a dataset, a plan to publish, or a reasoned refusal. */
  'NeedAnswer',
  /** A news post of the association or of a member. */
  'News',
  /** What an organisation shares, uses and needs (the directory's network view). */
  'NetworkProfile',
  /** An event of the network (workshop, hackathon, webinar, meeting), its page and iCalendar file. */
  'Event',
  /** A person's registration for an event. */
  'EventRegistration',
  /** A user's choice of which notifications also come by e-mail, and the weekly digest. */
  'NotificationPreference',
  /** Mails the SMTP server refused (bounces). */
  'MailFailure',
  /** The weekly digest e-mail. */
  'Digest',
] as const;
export type Subject = (typeof SUBJECTS)[number];

export interface Membership {
  organisationId: string;
  role: OrgRole;
  /** The organisation signed the ethics charter in force (true when none is published yet). */
  charterSigned?: boolean;
}

export type Principal =
  | { kind: 'anonymous' }
  | {
      kind: 'user';
      userId: string;
      platformRoles: readonly PlatformRole[];
      memberships: readonly Membership[];
      /** Present when the request is authenticated by an API token: the token's scopes. */
      tokenScopes?: readonly TokenScope[];
    };

/**
 * What a rule may look at: the resource's owner organisation and, for personal things, its user;
 * for a dataset, its access level and status (the access-level table of DESIGN.md).
 */
export interface Resource {
  organisationId?: string;
  userId?: string;
  accessLevel?: 'open' | 'members' | 'restricted' | 'aggregate_only';
  status?: 'draft' | 'published' | 'deprecated' | 'withdrawn';
  /** For a dataset: what the caller's active contracts grant (`rows`, `sql`, `download`, `aggregate`). */
  grantedUses?: readonly string[];
  /** For a request or a contract: the organisations party to it (provider, consumer, project partners). */
  parties?: readonly string[];
  /** For a commission, its votes and ballots: the caller's role in that commission (null: none). */
  commissionRole?: 'chair' | 'member' | null;
}

/**
 * A use granted on part of a dataset only (some columns or départements): queries honour it, a
 * whole-file preview or download cannot, so the catalog's rules never match it.
 */
export function partialUse(use: string): string {
  return `${use}:partial`;
}

/** Conditions see anonymous callers too: open data is readable without an account. */
type Condition = (principal: Principal, resource: Resource) => boolean;

export interface Rule {
  role: Role;
  action: Action;
  subject: Subject;
  condition?: Condition;
  /** Plain-language reason, shown in the rule listing of the docs. */
  because: string;
}

const rules: Rule[] = [];

export function allow(role: Role, action: Action | readonly Action[], subject: Subject, because: string, condition?: Condition): void {
  for (const a of typeof action === 'string' ? [action] : action) {
    rules.push(condition ? { role, action: a, subject, because, condition } : { role, action: a, subject, because });
  }
}

const own: Condition = (principal, resource) => principal.kind === 'user' && resource.userId === principal.userId;
const inCatalog: Condition = (_, r) => r.status !== undefined && r.status !== 'draft';
/** Published or deprecated: a withdrawn dataset gives no new access to its data, to anyone. */
const live = (r: Resource) => r.status === 'published' || r.status === 'deprecated';
/** The access-level table: members-level data is for organisations that signed the current charter. */
const memberOfSignatory = (p: Principal) => p.kind === 'user' && p.memberships.some((m) => m.charterSigned === true);

// --- the table -------------------------------------------------------------------------------
allow('anyone', 'read', 'System', 'health, readiness and the API description are public');
allow('anyone', ['list', 'read'], 'Organisation', 'the member directory is public, like the association’s');
allow('anyone', 'create', 'Session', 'anyone may try to sign in');
allow('user', ['read', 'delete'], 'Session', 'users see and end their own sessions', own);
allow('user', ['read', 'update'], 'User', 'users manage their own profile', own);
allow('user', ['list', 'create', 'read', 'delete'], 'ApiToken', 'users manage their own API tokens', own);
allow('org_admin', ['list', 'read'], 'Membership', 'org admins see their organisation’s members');
allow('data_steward', ['list', 'read'], 'Membership', 'stewards see who else works on the data');
allow('analyst', ['list', 'read'], 'Membership', 'analysts see their colleagues');
allow('org_admin', ['update', 'delete'], 'Membership', 'org admins change roles and remove members');
allow('org_admin', ['create', 'list', 'delete'], 'Invitation', 'org admins invite people to their organisation');
allow('org_admin', 'update', 'Organisation', 'org admins keep their organisation’s identity up to date');
allow('user', 'delete', 'Membership', 'anyone may leave an organisation', own);
allow('operator', 'manage', 'Organisation', 'the operator admits, edits and deactivates members');
allow('operator', 'manage', 'Membership', 'the operator can repair any membership');
allow('operator', 'manage', 'Invitation', 'the operator invites the first admin of a new member');
allow('operator', 'manage', 'User', 'the operator can deactivate a user');
// Metrics reveal traffic patterns per route; a Prometheus scraper uses an operator's read token.
allow('operator', 'read', 'Metrics', 'the operator reads the node’s metrics');

// The catalog. Metadata is public once published; data follows the dataset's access level (a
// ceiling that offers and contracts, later, only narrow). Preview rows and downloads are separate
// subjects because the table grants them separately.
allow('anyone', 'list', 'Dataset', 'anyone may search the catalog and harvest it');
allow('anyone', 'read', 'Dataset', 'the metadata of every published dataset is public', inCatalog);
// Withdrawing a dataset is its `delete`: the rows stay (flagged) for the record and the harvesters.
allow(
  'data_steward',
  ['create', 'read', 'update', 'delete'],
  'Dataset',
  'data stewards publish, version, deprecate and withdraw their organisation’s datasets',
);
allow('org_admin', ['create', 'read', 'update', 'delete'], 'Dataset', 'org admins can do what their stewards do');
allow('operator', 'delete', 'Dataset', 'the operator can withdraw any dataset (legal request, charter breach)');
allow('anyone', 'read', 'DatasetData', 'open data: anyone may look, under its licence', (_, r) => r.accessLevel === 'open' && live(r));
allow(
  'user',
  'read',
  'DatasetData',
  'members-level data: every member organisation that signed the current charter may preview it',
  (p, r) => r.accessLevel === 'members' && live(r) && memberOfSignatory(p),
);
for (const role of ['org_admin', 'data_steward', 'analyst'] as const) {
  allow(
    role,
    'read',
    'DatasetData',
    'an organisation sees rows of its own data, unless only aggregates may ever leave',
    (_, r) => r.accessLevel !== 'aggregate_only',
  );
  allow(
    role,
    'read',
    'DatasetFile',
    'an organisation downloads its own files, unless only aggregates may ever leave',
    (_, r) => r.accessLevel !== 'aggregate_only',
  );
}
allow('anyone', 'read', 'DatasetFile', 'open data can be downloaded by anyone', (_, r) => r.accessLevel === 'open' && live(r));
// Contract holders: what their active contract grants, never rows of aggregate-only data. The
// grant is read from the database on every request, so a termination holds on the next one.
allow(
  'user',
  'read',
  'DatasetData',
  'contract holders see rows when their contract grants them',
  (_, r) => live(r) && r.accessLevel !== 'aggregate_only' && (r.grantedUses ?? []).some((u) => u === 'rows' || u === 'sql'),
);
allow(
  'user',
  'read',
  'DatasetFile',
  'contract holders download files when their contract grants it',
  (_, r) => live(r) && r.accessLevel !== 'aggregate_only' && (r.grantedUses ?? []).includes('download'),
);
// Queries: open data for anyone; an organisation's own data for its people (aggregate-only data
// still through disclosure control); otherwise what an active contract grants. The access module
// then compiles the grant — columns, rows, aggregates only, quotas — into the query itself.
allow(
  'anyone',
  'read',
  'DatasetQuery',
  'open data: anyone may compute on it, under its licence',
  (_, r) => r.accessLevel === 'open' && live(r),
);
for (const role of ['org_admin', 'data_steward', 'analyst'] as const) {
  allow(role, 'read', 'DatasetQuery', 'an organisation computes on its own data (aggregate-only data under disclosure control)');
}
allow(
  'user',
  'read',
  'DatasetQuery',
  'contract holders compute within what their active contract grants',
  (_, r) => live(r) && (r.grantedUses ?? []).some((u) => !u.startsWith('download')),
);
allow('data_steward', 'create', 'Upload', 'stewards upload files to publish');
allow('org_admin', 'create', 'Upload', 'org admins upload files to publish');
allow('user', 'read', 'Upload', 'uploaders follow their own uploads', own);

// The ledger. Public parts never carry personal data; details go to the parties of the fact.
allow('anyone', ['read', 'list'], 'Ledger', 'checkpoints, tiles, proofs and public parts are for everyone to verify');
allow('anyone', 'create', 'Cosignature', 'a witness’s credential is its signature, checked against the witness keys the node trusts');
for (const role of ['org_admin', 'data_steward', 'analyst'] as const) {
  allow(role, 'read', 'LedgerDetails', 'an organisation sees the private details of the facts it is party to');
}
allow('operator', 'read', 'LedgerDetails', 'the operator answers for the log');
allow('operator', 'delete', 'LedgerDetails', 'the operator erases details on a legal request (RGPD); the leaf stays verifiable');

// The charter and offers. Reading them is public: consumers see the terms before asking, and the
// association's members see who has committed to the charter. A withdrawn dataset takes no new
// offer (its `status` is the dataset's, checked by the condition).
allow('anyone', ['read', 'list'], 'Charter', 'the charter in force and its history are public');
allow('operator', 'create', 'Charter', 'the operator publishes charter versions (after the commission’s vote)');
allow('anyone', 'list', 'CharterSignature', 'which organisations signed the charter is public');
allow('org_admin', 'create', 'CharterSignature', 'an org admin signs the charter for the organisation');
allow('anyone', 'list', 'Offer', 'offers are public: consumers read the terms before requesting');
allow('anyone', 'read', 'Offer', 'offers are public: consumers read the terms before requesting', inCatalog);
for (const role of ['org_admin', 'data_steward'] as const) {
  allow(role, ['create', 'update', 'delete'], 'Offer', 'the provider’s stewards and admins write its offers', (_, r) => live(r));
}
allow('operator', 'delete', 'Offer', 'the operator can retire any offer (charter breach)');
// The decision preview evaluates a request for one organisation: only its own people may ask.
for (const role of ['org_admin', 'data_steward', 'analyst'] as const) {
  allow(role, 'create', 'Decision', 'members preview decisions for their own organisation');
}
allow('operator', 'create', 'Decision', 'the operator answers members’ questions about offers');

// Requests and contracts. A request's resource names the organisation that acts (consumer to ask
// or withdraw, provider to decide); reading needs to be party to it.
const party: Condition = (p, r) => p.kind === 'user' && p.memberships.some((m) => (r.parties ?? []).includes(m.organisationId));
allow('user', 'list', 'Project', 'the association’s projects are listed to all its members');
allow('org_admin', 'create', 'Project', 'an org admin sets up a project its organisation leads');
for (const role of ['org_admin', 'data_steward', 'analyst'] as const) {
  allow(role, 'create', 'AccessRequest', 'members ask for data for their own organisation');
  allow(role, 'delete', 'AccessRequest', 'the requesting organisation may withdraw its request');
}
allow('user', 'list', 'AccessRequest', 'users list the requests of their organisations');
allow('user', 'read', 'AccessRequest', 'both parties see a request', party);
allow('ethics_member', 'read', 'AccessRequest', 'the ethics commission reads the requests it reviews');
allow('operator', 'read', 'AccessRequest', 'the operator answers for the process');
for (const role of ['org_admin', 'data_steward'] as const) {
  allow(role, 'update', 'AccessRequest', 'the provider’s stewards and admins approve or refuse requests');
  allow(role, 'update', 'Contract', 'the provider suspends and resumes its contracts');
}
allow('ethics_member', ['list', 'update'], 'Review', 'the ethics commission reviews requests on personal or health data');
allow('operator', 'list', 'Review', 'the operator follows the commission’s queue');
allow('user', 'list', 'Contract', 'users list their organisations’ contracts');
allow('user', 'read', 'Contract', 'both parties read a contract', party);
allow('operator', 'read', 'Contract', 'the operator answers for the contracts');
// Termination and amendments: either party, by its admin (the resource names the caller's side).
allow('org_admin', ['delete', 'create'], 'Contract', 'either party’s admin terminates a contract or proposes an amendment');
allow('user', 'list', 'Notification', 'users read their own notifications');
allow('user', 'update', 'Notification', 'users mark their own notifications as read', own);

// Billing. Statements and invoices are an organisation's accounts: its admins and stewards read
// them; the operator answers for all of them and sets the association's fee.
allow('user', 'read', 'BillingSettings', 'the association’s fee and rules are known to every member');
allow('operator', 'update', 'BillingSettings', 'the operator sets the association’s fee, credits and payment terms');
allow('user', 'create', 'Estimate', 'a party estimates what a use would cost it', party);
allow('operator', 'create', 'Estimate', 'the operator answers members’ questions about prices');
for (const role of ['org_admin', 'data_steward'] as const) {
  allow(role, ['read', 'list'], 'Statement', 'an organisation’s admins and stewards read its statements');
}
allow('user', 'read', 'Invoice', 'both parties’ members read an invoice they received or issued', party);
allow('operator', ['read', 'list'], 'Statement', 'the operator answers for the accounts and sees the fee income');
allow('user', 'list', 'Invoice', 'users list their organisations’ invoices');
allow('operator', 'read', 'Invoice', 'the operator answers for the invoices');
allow(
  'org_admin',
  ['create', 'update'],
  'Invoice',
  'the seller’s admin issues its invoices (under mandate for a provider) and their credit notes',
);
allow('operator', ['create', 'update'], 'Invoice', 'the association issues invoices under mandate and its own');
allow('user', 'read', 'FairReturn', 'a project’s partners follow its fair return', party);
allow('operator', 'read', 'FairReturn', 'the operator answers for the fair return');
allow('org_admin', 'create', 'FairReturn', 'the lead’s admin records what the project earned');

// Projects (projects module). A project's resource is its lead organisation (to update it, invite
// or remove partners) with its parties (lead, accepted and invited partners: they read it); an
// answer to an invitation names the invited organisation.
allow('user', 'read', 'Project', 'a project’s lead and partners (invited ones too) read it in full', party);
allow('operator', 'read', 'Project', 'the operator answers for the projects');
allow('org_admin', 'update', 'Project', 'the lead’s admin runs the project: status, milestones, funding, deliverables');
allow('org_admin', ['create', 'delete'], 'ProjectPartner', 'the lead’s admin invites and removes partners');
allow('org_admin', 'update', 'ProjectPartner', 'the invited organisation’s admin accepts or declines');
// Attached datasets: read like the project; attached and detached by the admins and stewards of its
// parties (the resource's `parties` are then the lead and accepted partners only).
const partyStaff: Condition = (p, r) =>
  p.kind === 'user' &&
  p.memberships.some((m) => (m.role === 'org_admin' || m.role === 'data_steward') && (r.parties ?? []).includes(m.organisationId));
allow('user', 'list', 'ProjectDataset', 'a project’s parties see the datasets it uses', party);
allow('operator', 'list', 'ProjectDataset', 'the operator answers for the projects');
allow(
  'user',
  ['create', 'delete'],
  'ProjectDataset',
  'the admins and stewards of a project’s lead and accepted partners attach and detach the datasets it uses',
  partyStaff,
);

// The network (needs board, news, directory). A need's resource is the organisation in need (to
// post, close or turn into a project) or the answering organisation (to answer); a news post's is
// its publishing organisation (none for the association's own posts: the operator's).
allow('anyone', ['list', 'read'], 'Need', 'the needs board is public: anyone may see what the members are looking for');
for (const role of ['org_admin', 'data_steward', 'analyst'] as const) {
  allow(
    role,
    ['create', 'update'],
    'Need',
    'members post and close their own organisation’s needs (turning one into a project is its admin’s, like any project)',
  );
}
allow('operator', 'update', 'Need', 'the operator moderates the board: closes a need that breaks the charter');
allow('anyone', 'list', 'NeedAnswer', 'answers to needs are public, like the needs');
for (const role of ['org_admin', 'data_steward'] as const) {
  allow(role, 'create', 'NeedAnswer', 'a provider’s stewards and admins answer needs for their organisation');
}
allow('anyone', ['list', 'read'], 'News', 'the network’s news are public');
allow('org_admin', ['create', 'update', 'delete'], 'News', 'org admins publish and edit their organisation’s news');
allow('operator', 'manage', 'News', 'the operator publishes the association’s news and moderates all');
allow('anyone', ['list', 'read'], 'NetworkProfile', 'what members share, use (counted) and need is public');

// Events and e-mail (network module). An event's resource is its organiser organisation: its admins
// and stewards run it, all its members see who registered. The calendar feed is public so that
// calendar applications, which carry no session, can subscribe to it.
allow('anyone', ['list', 'read'], 'Event', 'the network’s events and their calendar files are public');
for (const role of ['org_admin', 'data_steward'] as const) {
  allow(role, ['create', 'update', 'delete'], 'Event', 'an organisation’s admins and stewards organise its events');
}
allow('operator', 'manage', 'Event', 'the operator organises the association’s events and can cancel any');
allow('user', 'create', 'EventRegistration', 'any signed-in member may register for an event');
allow('user', 'delete', 'EventRegistration', 'people cancel their own registration', own);
for (const role of ['org_admin', 'data_steward', 'analyst'] as const) {
  allow(role, 'list', 'EventRegistration', 'the organiser’s members see who registered');
}
allow('operator', 'list', 'EventRegistration', 'the operator sees who registered for any event');
allow('user', ['read', 'update'], 'NotificationPreference', 'users choose which notifications come by e-mail', own);
allow('operator', 'list', 'MailFailure', 'the operator follows the mails the SMTP server refused');
allow('operator', 'create', 'Digest', 'the operator sends the weekly digest now (tests, a missed week)');

// Governance (issue 10). Commissions and their votes are the association's business: every
// signed-in user follows them; the operator sets commissions up; a commission's chair keeps its
// agenda and documents and runs its votes. Only members vote; who voted what is for the
// commission (and the operator who answers for the process), everyone else sees the counts.
const chair: Condition = (_, r) => r.commissionRole === 'chair';
const commissionMember: Condition = (_, r) => r.commissionRole === 'chair' || r.commissionRole === 'member';
allow('user', ['list', 'read'], 'Commission', 'members of the association follow its commissions');
allow('operator', 'manage', 'Commission', 'the operator names commissions and appoints their members');
allow('user', ['list', 'read'], 'CommissionRecord', 'agendas and documents are the association’s');
allow('user', ['create', 'update', 'delete'], 'CommissionRecord', 'a commission’s chair keeps its agenda and documents', chair);
allow('operator', 'manage', 'CommissionRecord', 'the operator can keep any commission’s records');
allow('user', ['list', 'read'], 'Vote', 'votes and their counts are visible to the association’s members');
allow('user', ['create', 'update'], 'Vote', 'a commission’s chair opens and closes its votes', chair);
allow('operator', ['create', 'update'], 'Vote', 'the operator opens votes and closes them early');
allow('user', 'create', 'Ballot', 'only a commission’s members vote, once each', commissionMember);
allow('user', 'list', 'Ballot', 'a commission’s members see who voted what', commissionMember);
allow('operator', 'list', 'Ballot', 'the operator answers for the process');
allow('user', 'read', 'GovernanceGate', 'which actions wait for a vote is known to every member');
allow('operator', 'update', 'GovernanceGate', 'the operator decides which actions need a commission’s vote');

export function listRules(): readonly Rule[] {
  return rules;
}

function holdsRole(principal: Extract<Principal, { kind: 'user' }>, role: Role, resource: Resource | undefined): boolean {
  switch (role) {
    case 'anyone':
    case 'user':
      return true;
    case 'operator':
    case 'ethics_member':
      return principal.platformRoles.includes(role);
    case 'org_admin':
    case 'data_steward':
    case 'analyst':
      // Without a resource the question is "could they, somewhere?" (used to show menus);
      // with one, only the role held in that resource's organisation counts.
      return principal.memberships.some(
        (m) => m.role === role && (resource?.organisationId === undefined ? !resource : m.organisationId === resource.organisationId),
      );
  }
}

/**
 * Is `principal` allowed to do `action` on `subject` (optionally a specific resource)?
 * `manage` grants every action on its subject.
 */
export function can(principal: Principal, action: Action, subject: Subject, resource?: Resource): boolean {
  if (principal.kind === 'user' && principal.tokenScopes && !READ_ACTIONS.has(action) && !principal.tokenScopes.includes('write')) {
    return false;
  }
  return rules.some((rule) => {
    if (rule.subject !== subject) return false;
    if (rule.action !== action && rule.action !== 'manage') return false;
    if (principal.kind === 'anonymous' ? rule.role !== 'anyone' : !holdsRole(principal, rule.role, resource)) return false;
    return rule.condition ? rule.condition(principal, resource ?? {}) : true;
  });
}

/**
 * Whether some resource could let `principal` do this: `can` without a resource, conditions left
 * for the resource to decide. What a route whose resource is in the body checks on arrival.
 */
export function mayBeAllowed(principal: Principal, action: Action, subject: Subject): boolean {
  if (principal.kind === 'user' && principal.tokenScopes && !READ_ACTIONS.has(action) && !principal.tokenScopes.includes('write')) {
    return false;
  }
  return rules.some(
    (rule) =>
      rule.subject === subject &&
      (rule.action === action || rule.action === 'manage') &&
      (principal.kind === 'anonymous' ? rule.role === 'anyone' : holdsRole(principal, rule.role, undefined)),
  );
}

/**
 * Whether an anonymous caller could ever be allowed this, whatever the resource: if not, the
 * authorization hook answers 401 before looking the resource up, so probing reveals nothing.
 */
export function anonymousMayTry(action: Action, subject: Subject): boolean {
  return rules.some((r) => r.role === 'anyone' && r.subject === subject && (r.action === action || r.action === 'manage'));
}

/** Is this action one a read-only token may do? Exposed so the token screen can explain scopes. */
export function isReadAction(action: Action): boolean {
  return READ_ACTIONS.has(action);
}
