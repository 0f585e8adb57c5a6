import fs from 'node:fs/promises';
import {
  AGGREGATE_FUNCTIONS,
  DATA_USES,
  OPENSAFELY_DISCLOSURE,
  type DataUse,
  type Disclosure,
  type GrantView,
  type Principal,
  type QueryAccess,
} from '@confiance/contract';
import type { Context } from '../../platform/context';
import { AppError } from '../../platform/http/errors';
import { sqlIdent, sqlString, type DatasetRow, type StoredTable } from '../catalog/index';
import { activeGrants, type ActiveGrant } from '../contracts/index';
import type { BudgetState } from './budget';
import { dimensionsOf, type ViewColumn } from './compile';
import { accessPrivacy } from './privacy-result';
import type { SandboxRelation } from './sandbox';

/**
 * Who may compute what on a dataset: the caller's scope, from the access level and, unless the
 * data is open or the caller's own, from an active contract's grant — read from the database on
 * every query, never cached, so that a suspension, termination or expiry holds on the next one.
 */

export interface QueryScope {
  allowed: boolean;
  reason: string | null;
  basis: 'open' | 'own' | 'contract' | null;
  grant: ActiveGrant | null;
  otherContracts: string[];
  uses: DataUse[];
  aggregateOnly: boolean;
  sql: boolean;
  /** Granted columns; null: every column. */
  columns: string[] | null;
  departements: string[];
  disclosure: Disclosure | null;
  /** Differential privacy (issue 8): noisy counts and clipped sums, spending the contract's budget. */
  privacy: GrantView['privacy'];
  rowLimit: number;
  maxQueries: number | null;
  queriesPerDay: number | null;
  validUntil: string | null;
}

const live = (d: DatasetRow) => d.status === 'published' || d.status === 'deprecated';

function refused(reason: string): QueryScope {
  return {
    allowed: false,
    reason,
    basis: null,
    grant: null,
    otherContracts: [],
    uses: [],
    aggregateOnly: false,
    sql: false,
    columns: null,
    departements: [],
    disclosure: null,
    privacy: null,
    rowLimit: 0,
    maxQueries: null,
    queriesPerDay: null,
    validUntil: null,
  };
}

/** `known`: the caller's active grants when already read (for the authorization check). */
export async function resolveScope(
  ctx: Context,
  dataset: DatasetRow,
  principal: Principal,
  contractId?: string,
  known?: readonly ActiveGrant[],
): Promise<QueryScope> {
  const maxRows = ctx.config.query.maxRows;
  const aggregateLevel = dataset.access_level === 'aggregate_only';
  const whole = (basis: 'open' | 'own'): QueryScope => ({
    ...refused(''),
    allowed: true,
    reason: null,
    basis,
    uses: aggregateLevel ? ['aggregate'] : [...DATA_USES],
    aggregateOnly: aggregateLevel,
    sql: !aggregateLevel,
    // The provider's own aggregate-only data: no contract names count columns, OpenSAFELY on rows.
    disclosure: aggregateLevel ? { ...OPENSAFELY_DISCLOSURE } : null,
    rowLimit: maxRows,
  });
  if (principal.kind === 'user' && principal.memberships.some((m) => m.organisationId === dataset.organisation_id)) return whole('own');
  if (!live(dataset)) return refused('Jeu de données retiré : plus aucun nouvel accès à ses données.');
  if (dataset.access_level === 'open' && !contractId) return whole('open');
  if (principal.kind !== 'user')
    return refused(
      'Ces données se calculent sous contrat : connectez-vous avec le compte d’une organisation membre, puis demandez l’accès par une offre.',
    );

  const grants = known ?? (await activeGrants(ctx.db, ctx.config.baseUrl, dataset.id, principal));
  const usable = grants.filter((g) => g.grant.uses.some((u) => u !== 'download'));
  if (usable.length === 0)
    return refused(
      dataset.access_level === 'members'
        ? 'Les requêtes sur ces données passent par un contrat : l’offre « Membres » l’accorde aussitôt à une organisation signataire de la charte (section Offres).'
        : 'Aucun contrat actif ne vous donne accès à ces données : faites une demande d’accès sur l’une des offres du jeu (section Offres).',
    );
  const chosen = contractId ? usable.find((g) => g.grant.contract === contractId) : usable[0];
  if (!chosen) throw new AppError('forbidden', 'Ce contrat n’est pas un de vos contrats actifs sur ce jeu de données.');
  const g = chosen.grant;
  // Noise protects aggregates only: a grant with differential privacy never returns rows or SQL.
  const aggregateOnly = aggregateLevel || g.aggregateOnly || g.privacy !== null || !g.uses.some((u) => u === 'rows' || u === 'sql');
  return {
    allowed: true,
    reason: null,
    basis: 'contract',
    grant: chosen,
    otherContracts: usable.map((x) => x.grant.contract).filter((id) => id !== g.contract),
    uses: g.uses,
    aggregateOnly,
    sql: !aggregateOnly && g.uses.includes('sql'),
    columns: g.columns.length > 0 ? g.columns : null,
    departements: g.departements,
    // With differential privacy the noise is the protection: no suppression or rounding on top.
    disclosure: g.privacy !== null ? null : aggregateOnly ? (g.disclosure ?? { ...OPENSAFELY_DISCLOSURE }) : null,
    privacy: g.privacy,
    rowLimit: Math.min(g.rowsPerResponse ?? maxRows, maxRows),
    maxQueries: g.maxQueries,
    queriesPerDay: g.queriesPerDay,
    validUntil: g.validUntil,
  };
}

/** Columns named like a département code, or a commune code whose first digits are the département's. */
const DEPARTEMENT_COLUMNS = ['dep', 'departement', 'code_departement', 'code_dep', 'code_dept', 'dept', 'insee_dep', 'num_dep'];
const COMMUNE_COLUMNS = ['code_commune', 'code_insee', 'insee_com', 'codgeo', 'com', 'code_commune_insee', 'depcom'];

/**
 * The row filter a grant's départements compile to, or a refusal when the table has no column to
 * filter on: without one, the grant cannot be honoured, so nothing is returned (fail closed).
 */
export function departementFilter(table: StoredTable, departements: readonly string[]): string | null {
  if (departements.length === 0) return null;
  const list = departements.map(sqlString).join(', ');
  const byName = (names: readonly string[]) => table.columns.find((c) => names.includes(c.name.toLowerCase()));
  const dep = byName(DEPARTEMENT_COLUMNS);
  if (dep) return `lpad(CAST(${sqlIdent(dep.name)} AS VARCHAR), 2, '0') IN (${list})`;
  const commune = byName(COMMUNE_COLUMNS);
  if (commune) {
    const code = `lpad(CAST(${sqlIdent(commune.name)} AS VARCHAR), 5, '0')`;
    return `(CASE WHEN starts_with(${code}, '97') THEN left(${code}, 3) ELSE left(${code}, 2) END) IN (${list})`;
  }
  throw new AppError(
    'forbidden',
    `Votre contrat limite les lignes à certains départements, mais la table « ${table.name} » n’a pas de colonne de département ou de commune : aucune ligne ne peut en sortir. Voyez avec le fournisseur.`,
  );
}

/** A table's columns the scope grants (`column` or `table.column` in the grant; all when it names none). */
export function grantedColumns<C extends { name: string }>(
  table: { name: string; columns: readonly C[] },
  scope: Pick<QueryScope, 'columns'>,
): C[] {
  const granted = scope.columns;
  return table.columns.filter((c) => granted === null || granted.includes(c.name) || granted.includes(`${table.name}.${c.name}`));
}

/** The sandbox relations a scope exposes: one view per table, granted columns and rows only. */
export async function relationsOf(
  tables: readonly StoredTable[],
  scope: QueryScope,
  pathOf: (key: string) => string,
): Promise<{ relations: SandboxRelation[]; columns: Map<string, ViewColumn[]> }> {
  const relations: SandboxRelation[] = [];
  const columns = new Map<string, ViewColumn[]>();
  for (const table of tables) {
    const visible = grantedColumns(table, scope);
    if (visible.length === 0) continue;
    let file: string;
    try {
      file = await fs.realpath(pathOf(table.key));
    } catch {
      throw new AppError(
        'internal_error',
        `Le fichier de la table « ${table.name} » est introuvable sur le serveur : signalez-le à l’opérateur du nœud.`,
      );
    }
    relations.push({
      name: table.name,
      file,
      columns: visible.map((c) => c.name),
      rowFilter: departementFilter(table, scope.departements),
    });
    columns.set(
      table.name,
      visible.map((c) => ({ name: c.name, sqlType: sqlTypeOf(c.type) })),
    );
  }
  return { relations, columns };
}

/** The DuckDB type ingestion writes for a catalog type (what the view's column holds). */
function sqlTypeOf(type: string): string {
  switch (type) {
    case 'integer':
      return 'BIGINT';
    case 'number':
      return 'DOUBLE';
    case 'boolean':
      return 'BOOLEAN';
    case 'date':
      return 'DATE';
    case 'datetime':
      return 'TIMESTAMP';
    case 'time':
      return 'TIME';
    default:
      return 'VARCHAR';
  }
}

/** The access view the builder shows; `budget`: the contract's privacy budget, once a query opened it. */
export function presentAccess(
  dataset: DatasetRow,
  scope: QueryScope,
  tables: readonly StoredTable[],
  quota: { used: number; today: number },
  budget?: BudgetState,
): QueryAccess {
  const d = scope.disclosure;
  const dims = new Set<string>();
  return {
    dataset: dataset.slug,
    allowed: scope.allowed,
    reason: scope.reason,
    basis: scope.basis,
    contract: scope.grant?.grant.contract ?? null,
    contracts: scope.otherContracts,
    uses: scope.uses,
    aggregateOnly: scope.aggregateOnly,
    sql: scope.sql,
    tables: scope.allowed
      ? tables
          .map((t) => {
            const visible = grantedColumns(t, scope);
            const viewColumns = visible.map((c) => ({ name: c.name, sqlType: sqlTypeOf(c.type) }));
            for (const name of scope.aggregateOnly ? dimensionsOf({ columns: viewColumns, disclosure: d }) : [])
              dims.add(`${t.name}\u0000${name}`);
            return {
              name: t.name,
              relation: t.name,
              columns: visible.map((c) => ({
                name: c.name,
                type: sqlTypeOf(c.type),
                role: !scope.aggregateOnly
                  ? ('value' as const)
                  : d?.countColumns.includes(c.name)
                    ? ('count' as const)
                    : dims.has(`${t.name}\u0000${c.name}`)
                      ? ('dimension' as const)
                      : ('measure' as const),
              })),
            };
          })
          .filter((t) => t.columns.length > 0)
      : [],
    departements: scope.departements,
    functions: AGGREGATE_FUNCTIONS.filter((f) => !scope.aggregateOnly || (f !== 'min' && f !== 'max')),
    disclosure: d,
    rowLimit: scope.rowLimit,
    quota: { used: quota.used, max: scope.maxQueries, today: quota.today, perDay: scope.queriesPerDay },
    validUntil: scope.validUntil,
    privacy: scope.allowed && scope.privacy ? accessPrivacy(scope.privacy, budget) : null,
    joins: [],
  };
}
