import { charterRulesSchema, type CharterRules } from '@confiance/contract';
import { sql, type Selectable } from 'kysely';
import type { Executor } from '../../platform/context';
import type { CharterVersionsTable, OffersTable } from '../../platform/db/schema';

export type CharterVersionRow = Omit<Selectable<CharterVersionsTable>, 'rules'> & { rules: CharterRules; signature_count: number };

export type OfferRow = Selectable<OffersTable> & {
  dataset_slug: string;
  dataset_title: string;
  dataset_status: 'draft' | 'published' | 'deprecated' | 'withdrawn';
  access_level: string;
  licence: string;
  provider_slug: string;
  provider_name: string;
};

function charterQuery(db: Executor) {
  return db
    .selectFrom('charter_versions as cv')
    .selectAll('cv')
    .select(sql<number>`(select count(*)::int from charter_signatures s where s.version = cv.version)`.as('signature_count'));
}

function toCharter(row: Selectable<CharterVersionsTable> & { signature_count: number }): CharterVersionRow {
  return { ...row, rules: charterRulesSchema.parse(row.rules) };
}

/** The charter in force: the last version published. */
export async function currentCharter(db: Executor): Promise<CharterVersionRow | undefined> {
  const row = await charterQuery(db).orderBy('cv.position', 'desc').limit(1).executeTakeFirst();
  return row ? toCharter(row) : undefined;
}

export async function findCharterVersion(db: Executor, version: string): Promise<CharterVersionRow | undefined> {
  const row = await charterQuery(db).where('cv.version', '=', version).executeTakeFirst();
  return row ? toCharter(row) : undefined;
}

export async function listCharterVersions(db: Executor): Promise<CharterVersionRow[]> {
  return (await charterQuery(db).orderBy('cv.position', 'desc').execute()).map(toCharter);
}

/** Every active member organisation (or one) with the last version it signed. */
export async function listSignatures(db: Executor, organisationId?: string) {
  let query = db
    .selectFrom('organisations as o')
    .leftJoin(
      (eb) =>
        eb
          .selectFrom('charter_signatures as s')
          .innerJoin('charter_versions as v', 'v.version', 's.version')
          .select(['s.organisation_id', 's.version', 's.signed_at', 'v.position'])
          .distinctOn('s.organisation_id')
          .orderBy('s.organisation_id')
          .orderBy('v.position', 'desc')
          .as('last'),
      (join) => join.onRef('last.organisation_id', '=', 'o.id'),
    )
    .select(['o.id', 'o.slug', 'o.short_name', 'o.category', 'last.version as signed_version', 'last.signed_at'])
    .where('o.status', '=', 'active')
    .orderBy('o.short_name');
  if (organisationId) query = query.where('o.id', '=', organisationId);
  return query.execute();
}
export type SignatureRow = Awaited<ReturnType<typeof listSignatures>>[number];

export async function hasSigned(db: Executor, organisationId: string, version: string): Promise<boolean> {
  const row = await db
    .selectFrom('charter_signatures')
    .select('version')
    .where('organisation_id', '=', organisationId)
    .where('version', '=', version)
    .executeTakeFirst();
  return row !== undefined;
}

/** Whether the organisation may offer or obtain non-open data (the charter's signature rule). */
export async function charterStanding(db: Executor, organisationId: string) {
  const charter = await currentCharter(db);
  if (!charter) return { charter: undefined, required: false, signed: true };
  const required = charter.rules.signatureRequired;
  return { charter, required, signed: !required || (await hasSigned(db, organisationId, charter.version)) };
}

function offerQuery(db: Executor) {
  return db
    .selectFrom('offers as f')
    .innerJoin('datasets as d', 'd.id', 'f.dataset_id')
    .innerJoin('organisations as o', 'o.id', 'f.organisation_id')
    .selectAll('f')
    .select([
      'd.slug as dataset_slug',
      'd.title_fr as dataset_title',
      'd.status as dataset_status',
      'd.access_level',
      'd.licence',
      'o.slug as provider_slug',
      'o.short_name as provider_name',
    ]);
}

export async function findOffer(db: Executor, id: string): Promise<OfferRow | undefined> {
  return (await offerQuery(db).where('f.id', '=', id).executeTakeFirst()) as OfferRow | undefined;
}

export async function listOffers(db: Executor, datasetId: string, includeRetired: boolean): Promise<OfferRow[]> {
  let q = offerQuery(db).where('f.dataset_id', '=', datasetId);
  if (!includeRetired) q = q.where('f.status', '=', 'active');
  return (await q.orderBy('f.created_at').orderBy('f.id').execute()) as OfferRow[];
}
