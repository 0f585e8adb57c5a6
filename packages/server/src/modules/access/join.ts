import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { OPENSAFELY_DISCLOSURE, type Disclosure, type JoinInput, type Principal, type QueryAccess } from '@confiance/contract';
import type { Context } from '../../platform/context';
import { findDataset, sqlIdent, sqlString, type DatasetRow, type StoredTable } from '../catalog/index';
import { activeGrants } from '../contracts/index';
import { dimensionsOf, QueryRefusal, type CompileScope, type ViewColumn } from './compile';
import { deriveContractKey, loadOrCreateMasterKey, pseudonymKeySql } from './pseudonym';
import type { SandboxRelation } from './sandbox';
import { grantedColumns, presentAccess, relationsOf, resolveScope, type QueryScope } from './scope';

/**
 * Pseudonymised joins (issue 8): a table of the queried dataset joined, inside the engine, to a
 * table of another dataset the caller holds under contract — for the same project, or for the same
 * organisation — on columns both contracts declare as join keys (`cf:joinKey`).
 *
 * The keys are replaced by HMAC-SHA-256 pseudonyms (pseudonym.ts) under a key derived for the
 * *pair* of contracts: both sides agree, so rows still join on equality, while the same commune or
 * patient has unrelated pseudonyms under any other pair. The pseudonymised copies are written by
 * the node, outside the consumer's sandbox, once per (pair, table version, columns, rows): the
 * hashing SQL embeds key material and must never reach a view the consumer can read, and computing
 * it in every query would cost 18× the join (bench/pseudonym.ts). The sandbox then sees one view,
 * the join, in which the key columns do not exist: they can neither be selected, grouped, filtered
 * on nor ordered by, so no key and no pseudonym ever appears in a result.
 *
 * Protection: the stricter side wins. Either side aggregate-only makes the join aggregate-only,
 * with both sides' disclosure rules merged (the higher threshold and rounding, both sides'
 * dimensions, count columns and margins). Differential privacy is refused on joins: one person's
 * row may meet many rows on the other side, so a count's sensitivity is no longer 1 and the noise
 * calibrated for one row per person would not protect them.
 */

export interface JoinSide {
  dataset: DatasetRow;
  table: StoredTable;
  scope: QueryScope;
}

export interface JoinPlan {
  relation: SandboxRelation;
  /** The compile scope of the joined view (columns, protection, limits). */
  compile: CompileScope & { columns: ViewColumn[] };
}

/** The joined view's name (structured queries only: nobody types it). */
export const JOINED_RELATION = 'jointure';

const refuse = (refusal: string, message: string): never => {
  throw new QueryRefusal(refusal, message);
};

/** Checks the join against both grants; throws a `QueryRefusal` saying which rule it breaks. */
export function checkJoin(left: JoinSide, right: JoinSide, on: JoinInput['on']): void {
  const l = left.scope.grant;
  const r = right.scope.grant;
  if (left.scope.basis !== 'contract' || !l)
    refuse(
      'join_needs_contract',
      'Une jointure pseudonymisée se fait entre deux jeux obtenus sous contrat : choisissez le contrat de ce jeu.',
    );
  if (right.scope.basis !== 'contract' || !r)
    refuse(
      'join_needs_contract',
      `Aucun contrat actif ne vous donne le jeu « ${right.dataset.slug} » : une jointure pseudonymisée se fait entre deux jeux obtenus sous contrat.`,
    );
  if (l!.grant.contract === r!.grant.contract && left.table.name === right.table.name)
    refuse('join_same_table', 'Une table ne se joint pas à elle-même : choisissez une table d’un autre jeu.');
  const sameProject = l!.projectId !== null && l!.projectId === r!.projectId;
  if (!sameProject && l!.consumerId !== r!.consumerId)
    refuse(
      'join_other_party',
      'Les deux contrats doivent servir le même projet, ou la même organisation : les données d’un projet ne se croisent pas avec celles d’un autre.',
    );
  if (left.scope.privacy || right.scope.privacy)
    refuse(
      'join_privacy',
      'Les jeux sous confidentialité différentielle ne se joignent pas : une personne d’un côté peut rencontrer plusieurs lignes de l’autre, et le bruit calibré pour une ligne par personne ne la protégerait plus.',
    );
  const seen = new Set<string>();
  for (const pair of on) {
    for (const [side, name, grant, label] of [
      [left, pair.left, l!, 'ce jeu'],
      [right, pair.right, r!, `« ${right.dataset.slug} »`],
    ] as const) {
      const column = grantedColumns(side.table, side.scope).find((c) => c.name === name);
      if (!column)
        refuse(
          'join_key_unknown',
          `Clé de jointure : la colonne « ${name} » n’existe pas dans ${label} ou n’est pas accordée par votre contrat.`,
        );
      if (!grant.grant.joinKeys.includes(name))
        refuse(
          'join_key_not_granted',
          `Clé de jointure : le contrat sur ${label} ne déclare pas « ${name} » comme clé de jointure` +
            (grant.grant.joinKeys.length > 0 ? ` (clés déclarées : ${grant.grant.joinKeys.join(', ')}).` : ' (il n’en déclare aucune).'),
        );
    }
    const key = `${pair.left}\u0000${pair.right}`;
    if (seen.has(key)) refuse('join_key_repeated', `La paire de clés « ${pair.left} = ${pair.right} » est donnée deux fois.`);
    seen.add(key);
  }
}

// ——— Pseudonymised copies ———

/** By key file: tests run several nodes in one process, each with its own data folder. */
const masterKeys = new Map<string, Promise<Buffer>>();
function masterKey(ctx: Context): Promise<Buffer> {
  const file = path.join(ctx.config.dataDir, 'keys', 'pseudonym-master.key');
  let key = masterKeys.get(file);
  if (!key) {
    key = loadOrCreateMasterKey(file).catch((error: unknown) => {
      masterKeys.delete(file);
      throw error;
    });
    masterKeys.set(file, key);
  }
  return key;
}

const inFlight = new Map<string, Promise<string>>();

/** Hex runs as long as a padded key block: what must never reach a log line. */
const redact = (text: string) => text.replace(/[0-9a-f]{64,}/gi, '…');

/**
 * The table's granted columns and rows, with `keys` replaced by their pseudonyms under `key`,
 * written once as Parquet in `{dataDir}/pseudonyms/` and reused (the name is a digest of
 * everything that went into it, the key's own digest included).
 */
async function pseudonymisedCopy(
  ctx: Context,
  relation: SandboxRelation,
  keys: readonly string[],
  key: Buffer,
  limits: { memory: string; threads: number },
): Promise<string> {
  const dir = path.join(ctx.config.dataDir, 'pseudonyms');
  const digest = createHash('sha256')
    .update(JSON.stringify(['v2', createHash('sha256').update(key).digest('hex'), relation, [...keys].sort()]))
    .digest('hex');
  const file = path.join(dir, `${digest}.parquet`);
  const pending = inFlight.get(file);
  if (pending) return pending;
  const work = (async () => {
    try {
      await fs.access(file);
      return file;
    } catch {
      // not made yet
    }
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
    const select = relation.columns
      .map((c) => (keys.includes(c) ? `${pseudonymKeySql(sqlIdent(c), key)} AS ${sqlIdent(c)}` : sqlIdent(c)))
      .join(', ');
    const where = relation.rowFilter ? ` WHERE ${relation.rowFilter}` : '';
    // A private, unlocked instance: it reads the published file and writes the copy, nothing else
    // runs in it, and it is closed at once.
    const instance = await DuckDBInstance.create(':memory:');
    try {
      const connection = await instance.connect();
      try {
        await connection.run(`SET memory_limit = ${sqlString(limits.memory)}`);
        await connection.run(`SET threads = ${Math.max(1, Math.trunc(limits.threads))}`);
        await connection.run(
          `COPY (SELECT ${select} FROM read_parquet(${sqlString(relation.file)})${where}) TO ${sqlString(temporary)} (FORMAT parquet, COMPRESSION zstd)`,
        );
      } finally {
        connection.closeSync();
      }
      await fs.rename(temporary, file);
      return file;
    } catch (error) {
      await fs.rm(temporary, { force: true });
      // DuckDB's messages may quote the statement, and the statement holds key material.
      ctx.log.error(
        { table: relation.name, error: redact(error instanceof Error ? error.message : String(error)) },
        'pseudonymisation failed',
      );
      throw new Error('La pseudonymisation des clés de jointure a échoué.');
    } finally {
      instance.closeSync();
    }
  })();
  inFlight.set(file, work);
  try {
    return await work;
  } finally {
    inFlight.delete(file);
  }
}

// ——— The joined view ———

function mergeDisclosure(
  sides: { scope: QueryScope; columns: ViewColumn[]; keys: readonly string[]; prefix: string }[],
  aggregateOnly: boolean,
): Disclosure | null {
  if (!aggregateOnly) return null;
  const ruled = sides.map((s) => ({ ...s, d: s.scope.aggregateOnly ? (s.scope.disclosure ?? OPENSAFELY_DISCLOSURE) : null }));
  const withRules = ruled.filter((s) => s.d !== null).map((s) => s.d!);
  const max = (values: (number | null)[]) => {
    const present = values.filter((v): v is number => v !== null);
    return present.length > 0 ? Math.max(...present) : null;
  };
  const named = (prefix: string, name: string) => `${prefix}${name}`;
  const unitSide = ruled.find((s) => s.d?.unitColumn);
  return {
    suppressAtOrBelow: max(withRules.map((d) => d.suppressAtOrBelow)),
    roundTo: max(withRules.map((d) => d.roundTo)) ?? 1,
    unitColumn: unitSide ? named(unitSide.prefix, unitSide.d!.unitColumn!) : null,
    minUnits: unitSide?.d?.minUnits ?? null,
    dominance: unitSide?.d?.dominance ?? null,
    // A side with rows access groups by any of its columns; an aggregate-only one by its dimensions.
    dimensions: ruled.flatMap((s) =>
      (s.d ? dimensionsOf({ columns: s.columns, disclosure: s.d }) : s.columns.map((c) => c.name))
        .filter((name) => !s.keys.includes(name))
        .map((name) => named(s.prefix, name)),
    ),
    countColumns: ruled.flatMap((s) => (s.d?.countColumns ?? []).map((name) => named(s.prefix, name))),
    margins: ruled.flatMap((s) => (s.d?.margins ?? []).map((m) => ({ column: named(s.prefix, m.column), value: m.value }))),
  };
}

/**
 * The joined view of `left` and `right` on the pseudonymised keys `on`, and how to compile queries
 * over it. Call `checkJoin` first.
 */
export async function planJoin(
  ctx: Context,
  pathOf: (key: string) => string,
  left: JoinSide,
  right: JoinSide,
  on: JoinInput['on'],
): Promise<JoinPlan> {
  const leftRelations = await relationsOf([left.table], left.scope, pathOf);
  const rightRelations = await relationsOf([right.table], right.scope, pathOf);
  const l = leftRelations.relations[0];
  const r = rightRelations.relations[0];
  const leftColumns = leftRelations.columns.get(left.table.name) ?? [];
  const rightColumns = rightRelations.columns.get(right.table.name) ?? [];
  if (!l || !r) throw new QueryRefusal('join_key_unknown', 'Votre contrat ne vous donne aucune colonne d’une des deux tables.');
  const lg = left.scope.grant!.grant.contract;
  const rg = right.scope.grant!.grant.contract;
  const pair = [lg, rg].sort().join('+');
  const key = deriveContractKey(await masterKey(ctx), `join/${pair}`);
  const limits = { memory: ctx.config.query.memory, threads: ctx.config.query.threads };
  const leftKeys = on.map((p) => p.left);
  const rightKeys = on.map((p) => p.right);
  const [leftFile, rightFile] = await Promise.all([
    pseudonymisedCopy(ctx, l, leftKeys, key, limits),
    pseudonymisedCopy(ctx, r, rightKeys, key, limits),
  ]);
  const prefix = `${right.table.name}.`;
  const keptLeft = leftColumns.filter((c) => !leftKeys.includes(c.name));
  const keptRight = rightColumns.filter((c) => !rightKeys.includes(c.name));
  const columns: ViewColumn[] = [...keptLeft, ...keptRight.map((c) => ({ name: `${prefix}${c.name}`, sqlType: c.sqlType }))];
  const names = new Set<string>();
  for (const c of columns) {
    if (names.has(c.name))
      throw new QueryRefusal('join_column_clash', `Deux colonnes s’appelleraient « ${c.name} » dans la jointure : voyez avec l’opérateur.`);
    names.add(c.name);
  }
  const aggregateOnly = left.scope.aggregateOnly || right.scope.aggregateOnly;
  return {
    relation: {
      name: JOINED_RELATION,
      file: leftFile,
      columns: keptLeft.map((c) => c.name),
      // Rows were filtered when the copies were made, on the real values.
      rowFilter: null,
      join: {
        file: rightFile,
        columns: keptRight.map((c) => ({ name: c.name, as: `${prefix}${c.name}` })),
        on: on.map((p) => ({ left: p.left, right: p.right })),
      },
    },
    compile: {
      relation: JOINED_RELATION,
      columns,
      rows: !aggregateOnly,
      aggregateOnly,
      disclosure: mergeDisclosure(
        [
          { scope: left.scope, columns: leftColumns, keys: leftKeys, prefix: '' },
          { scope: right.scope, columns: rightColumns, keys: rightKeys, prefix },
        ],
        aggregateOnly,
      ),
      privacy: null,
      rowLimit: Math.min(left.scope.rowLimit, right.scope.rowLimit),
    },
  };
}

/**
 * The datasets the caller may join this one with: its other active contracts for the same project
 * or organisation, whose grants declare join keys, without differential privacy on either side.
 * What the builder offers; the query is checked again by `checkJoin` when it runs.
 */
export async function joinableWith(
  ctx: Context,
  scope: QueryScope,
  principal: Principal,
  tablesOf: (dataset: DatasetRow) => Promise<StoredTable[]>,
): Promise<QueryAccess['joins']> {
  const own = scope.grant;
  if (scope.basis !== 'contract' || !own || own.grant.joinKeys.length === 0 || scope.privacy) return [];
  const others = (await activeGrants(ctx.db, ctx.config.baseUrl, null, principal)).filter(
    (g) =>
      g.grant.contract !== own.grant.contract &&
      g.dataset.id !== own.dataset.id &&
      g.grant.joinKeys.length > 0 &&
      g.grant.privacy === null &&
      ((own.projectId !== null && g.projectId === own.projectId) || g.consumerId === own.consumerId),
  );
  const joins: QueryAccess['joins'] = [];
  for (const g of others) {
    const dataset = await findDataset(ctx.db, g.dataset.slug);
    if (!dataset) continue;
    // The other side as its own access view shows it (roles, granted columns), keys left out.
    const scopeThere = await resolveScope(ctx, dataset, principal, g.grant.contract, [g]);
    if (!scopeThere.allowed) continue;
    const view = presentAccess(dataset, scopeThere, await tablesOf(dataset), { used: 0, today: 0 });
    const tables = view.tables
      .filter((t) => t.columns.some((c) => g.grant.joinKeys.includes(c.name)))
      .map((t) => ({ name: t.name, columns: t.columns.filter((c) => !g.grant.joinKeys.includes(c.name)) }));
    if (tables.length === 0) continue;
    joins.push({
      dataset: g.dataset.slug,
      title: g.dataset.title,
      provider: g.providerName,
      contract: g.grant.contract,
      leftKeys: own.grant.joinKeys,
      rightKeys: g.grant.joinKeys,
      aggregateOnly: scopeThere.aggregateOnly,
      tables,
    });
  }
  return joins;
}
