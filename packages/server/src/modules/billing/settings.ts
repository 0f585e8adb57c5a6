import {
  billingSettingsInput,
  canonicalJson,
  formatEuros,
  formatPercent,
  ORGANISATION_CATEGORIES,
  parsePercent,
  type BillingSettingsInput,
  type BillingSettingsView,
  type CreditRules,
  type FeeSchedule,
} from '@confiance/contract';
import { sql } from 'kysely';
import type { z } from 'zod';
import type { Context, Executor } from '../../platform/context';
import { sha256Hex } from '../../platform/crypto';
import { validationFailed } from '../../platform/http/errors';
import { recordFact } from '../ledger/index';

/**
 * The operator's billing settings, one immutable version per change, each recorded in the ledger
 * (`billing.settings`, the SHA-256 of the settings' canonical JSON): a statement names the version
 * whose fee it applied, so it recomputes the same after the fee changed.
 *
 * Version 0 is the node's default before the operator sets anything: no fee, no credits, 30 days.
 */

export type BillingSettings = z.output<typeof billingSettingsInput>;

export interface SettingsVersion {
  version: number;
  settings: BillingSettings;
  setAt: Date | null;
  setBy: string | null;
  ledgerIndex: number | null;
}

export const DEFAULT_SETTINGS: SettingsVersion = {
  version: 0,
  settings: billingSettingsInput.parse({ fee: {} }),
  setAt: null,
  setBy: null,
  ledgerIndex: null,
};

const nullableNumber = (value: string | number | null) => (value === null ? null : Number(value));

function versionOf(row: {
  version: number;
  settings: unknown;
  set_at: Date;
  set_by: string | null;
  ledger_index: string | number | null;
}): SettingsVersion {
  return {
    version: row.version,
    // Stored after validation; parsed again so that defaults added later apply to old versions.
    settings: billingSettingsInput.parse(row.settings),
    setAt: row.set_at,
    setBy: row.set_by,
    ledgerIndex: nullableNumber(row.ledger_index),
  };
}

const selectVersion = (db: Executor) =>
  db.selectFrom('billing_settings').select(['version', 'settings', 'set_at', 'set_by', 'ledger_index']);

/** The settings in force now. */
export async function currentSettings(db: Executor): Promise<SettingsVersion> {
  const row = await selectVersion(db).orderBy('version', 'desc').limit(1).executeTakeFirst();
  return row ? versionOf(row) : DEFAULT_SETTINGS;
}

/** A given version (0: the default); null if there is no such version. */
export async function settingsAt(db: Executor, version: number): Promise<SettingsVersion | null> {
  if (version === 0) return DEFAULT_SETTINGS;
  const row = await selectVersion(db).where('version', '=', version).executeTakeFirst();
  return row ? versionOf(row) : null;
}

/** Advisory lock key of the settings' version sequence. */
const SETTINGS_LOCK = 0x62696c6c; // "bill"

/** Records a new version of the settings; the previous versions stay as they were. */
export async function updateSettings(ctx: Context, actor: { userId: string }, raw: BillingSettingsInput): Promise<SettingsVersion> {
  const version = await ctx.db.transaction().execute((trx) => updateSettingsIn(trx, actor, raw));
  return (await settingsAt(ctx.db, version))!;
}

export function checkSettings(raw: unknown): BillingSettings {
  const parsed = billingSettingsInput.safeParse(raw);
  if (!parsed.success) throw validationFailed(parsed.error, 'Réglages de facturation invalides');
  return parsed.data;
}

/**
 * The new version in the caller's transaction (a commission vote's closing one when the operator
 * put fee changes behind a vote: `actor.vote` names it in the ledger). Returns its number.
 */
export async function updateSettingsIn(trx: Executor, actor: { userId: string; vote?: string }, raw: unknown): Promise<number> {
  const settings = checkSettings(raw);
  await sql`select pg_advisory_xact_lock(${SETTINGS_LOCK})`.execute(trx);
  const last = await trx
    .selectFrom('billing_settings')
    .select(sql<number>`coalesce(max(version), 0)`.as('v'))
    .executeTakeFirstOrThrow();
  const next = Number(last.v) + 1;
  await trx
    .insertInto('billing_settings')
    .values({ version: next, settings: JSON.stringify(settings), set_by: actor.userId })
    .execute();
  await recordFact(trx, {
    type: 'billing.settings',
    public: {
      version: next,
      sha256: sha256Hex(canonicalJson(settings)),
      feePercent: settings.fee.percent,
      ...(actor.vote ? { vote: actor.vote } : {}),
    },
    details: { by: actor.userId },
    parties: [],
  });
  // The ledger's sequence lock is ours until the commit: the last entry is the one just recorded.
  const entry = await trx
    .selectFrom('ledger_entries')
    .select(sql<string>`max(tree_index)`.as('i'))
    .executeTakeFirstOrThrow();
  await trx
    .updateTable('billing_settings')
    .set({ ledger_index: Number(entry.i) })
    .where('version', '=', next)
    .execute();
  return next;
}

const CATEGORY_FR = {
  public_body: 'organismes publics',
  research: 'organismes de recherche',
  company: 'entreprises',
  association: 'associations',
} as const;

/** The settings in French sentences, as members read them. */
export function describeSettings(settings: BillingSettings): string[] {
  const fee: FeeSchedule = settings.fee;
  const lines = [
    parsePercent(fee.percent, 'commission') === 0
      ? "Aucune commission de l'association sur les revenus des fournisseurs."
      : `Commission de l'association : ${formatPercent(parsePercent(fee.percent, 'commission'))} du montant HT facturé par chaque fournisseur.`,
  ];
  for (const category of ORGANISATION_CATEGORIES) {
    const c = fee.byCategory[category];
    if (!c) continue;
    if (c.percent !== undefined)
      lines.push(`Commission pour les ${CATEGORY_FR[category]} : ${formatPercent(parsePercent(c.percent, 'commission'))}.`);
    if (c.annualDues !== undefined) lines.push(`Cotisation annuelle des ${CATEGORY_FR[category]} : ${formatEuros(c.annualDues)}.`);
  }
  const credits: CreditRules | null = settings.credits;
  lines.push(
    credits
      ? `Crédits de contribution : ${credits.earnPerQuery} par requête servie et ${credits.earnPer1000Units} par 1 000 lignes livrées ; un crédit vaut ${formatEuros(credits.creditValue)}, jusqu'à ${formatPercent(parsePercent(credits.maxCoverPercent, 'part'))} d'un montant dû.`
      : 'Pas de crédits de contribution.',
  );
  lines.push(
    `Paiement à ${settings.paymentTermsDays} jours ; factures des fournisseurs émises sous le mandat « ${settings.mandateReference} ».`,
  );
  return lines;
}

export async function presentSettings(
  db: Executor,
  version: SettingsVersion,
  association: { slug: string; name: string } | null,
): Promise<BillingSettingsView> {
  const by = version.setBy
    ? await db.selectFrom('users').select('display_name').where('id', '=', version.setBy).executeTakeFirst()
    : undefined;
  return {
    version: version.version,
    fee: version.settings.fee,
    credits: version.settings.credits,
    paymentTermsDays: version.settings.paymentTermsDays,
    mandateReference: version.settings.mandateReference,
    association,
    summary: describeSettings(version.settings),
    updatedAt: version.setAt?.toISOString() ?? null,
    updatedBy: by?.display_name ?? null,
    ledgerIndex: version.ledgerIndex,
  };
}
