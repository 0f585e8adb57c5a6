import {
  BillingError,
  formatEuros,
  formatPercent,
  isVote,
  ORGANISATION_CATEGORIES,
  parseEuros,
  parsePercent,
  percentText,
  tryParsePercent,
  type BillingSettingsInput,
  type BillingSettingsView,
  type Cents,
  type OrganisationCategory,
} from '@confiance/contract';
import { InvalidArgumentError } from 'commander';
import { connect } from '../../api';
import { UsageError } from '../../errors';
import { CATEGORY_LABELS } from '../../labels';
import { details, formatDateTime, formatNumber, print, printJson } from '../../output';
import { org, vatLabel } from './billing';

/** The association's billing settings, as any member may read them. */
export async function billingSettingsShow(options: { json?: boolean }): Promise<void> {
  const { client } = await connect({ requireAuth: true });
  const settings = await client.billing.settings();
  if (options.json) printJson(settings);
  else printSettings(settings);
}

/** `--category public_body:2:500` — a category's fee percentage and yearly dues in euros HT; either may be left empty. */
export interface CategoryFlag {
  category: OrganisationCategory;
  percent: string | undefined;
  annualDues: Cents | undefined;
}

export function parseCategory(value: string, previous: CategoryFlag[] | undefined): CategoryFlag[] {
  const [category = '', percent = '', dues = '', ...rest] = value.split(':').map((p) => p.trim());
  if (rest.length > 0 || !(ORGANISATION_CATEGORIES as readonly string[]).includes(category))
    throw new InvalidArgumentError(
      `catégorie:commission:cotisation attendu, catégorie parmi ${ORGANISATION_CATEGORIES.join(', ')} (par exemple public_body:2:500).`,
    );
  const bp = percent === '' ? null : tryParsePercent(percent);
  if (percent !== '' && bp === null)
    throw new InvalidArgumentError('commission : pourcentage entre 0 et 100, deux décimales au plus (2,5).');
  let annualDues: Cents | undefined;
  if (dues !== '') {
    try {
      annualDues = parseEuros(dues, 'cotisation');
    } catch (error) {
      if (error instanceof BillingError)
        throw new InvalidArgumentError('cotisation annuelle en euros HT attendue, par exemple 500 ou 1 200,00.');
      throw error;
    }
    if (annualDues < 0) throw new InvalidArgumentError('une cotisation ne peut pas être négative.');
  }
  return [
    ...(previous ?? []).filter((c) => c.category !== category),
    { category: category as OrganisationCategory, percent: bp === null ? undefined : percentText(bp), annualDues },
  ];
}

/** Option parser for a percentage (`--fee-percent 5,5`), kept as the decimal text the API reads. */
export function percentOption(value: string): string {
  const bp = tryParsePercent(value);
  if (bp === null) throw new InvalidArgumentError('pourcentage entre 0 et 100 attendu, deux décimales au plus (par exemple 5 ou 2,5).');
  return percentText(bp);
}

export interface BillingSettingsSetOptions {
  feePercent?: string;
  category?: CategoryFlag[];
  feeVatRate?: string;
  duesVatRate?: string;
  paymentDays?: number;
  mandate?: string;
  creditValue?: number;
  earnPerQuery?: number;
  earnPer1000Units?: number;
  maxCoverPercent?: string;
  /** false with --no-credits. */
  credits?: boolean;
  json?: boolean;
}

const CREDIT_FLAGS = ['creditValue', 'earnPerQuery', 'earnPer1000Units', 'maxCoverPercent'] as const;

/**
 * The operator changes the settings: each flag given replaces that field of the current version,
 * and the node records the new version in the ledger. The node alone decides who may (the
 * operator): anyone else gets its refusal.
 */
export async function billingSettingsSet(options: BillingSettingsSetOptions): Promise<void> {
  const creditsGiven = CREDIT_FLAGS.some((f) => options[f] !== undefined);
  if (options.credits === false && creditsGiven)
    throw new UsageError('--no-credits retire les crédits de contribution : sans --credit-value, --earn-per-query… avec lui.');
  const changes = [
    options.feePercent,
    options.category,
    options.feeVatRate,
    options.duesVatRate,
    options.paymentDays,
    options.mandate,
    creditsGiven || options.credits === false ? true : undefined,
  ];
  if (changes.every((c) => c === undefined))
    throw new UsageError(
      'Rien à changer : indiquez au moins --fee-percent, --category, --payment-days, --mandate, --credit-value… ou --no-credits.',
    );

  const { client } = await connect({ requireAuth: true });
  const current = await client.billing.settings();
  const byCategory = { ...current.fee.byCategory };
  for (const c of options.category ?? []) {
    const entry = {
      ...(c.percent !== undefined ? { percent: c.percent } : {}),
      ...(c.annualDues !== undefined ? { annualDues: c.annualDues } : {}),
    };
    // Both parts left empty: the category goes back to the default percentage and no dues.
    if (Object.keys(entry).length === 0) delete byCategory[c.category];
    else byCategory[c.category] = entry;
  }
  let credits = current.credits;
  if (options.credits === false) credits = null;
  else if (creditsGiven) {
    const creditValue = options.creditValue ?? credits?.creditValue;
    if (creditValue === undefined)
      throw new UsageError(
        'Les crédits de contribution ne sont pas encore en place : indiquez la valeur d’un crédit (--credit-value CENTIMES).',
      );
    credits = {
      earnPerQuery: options.earnPerQuery ?? credits?.earnPerQuery ?? 0,
      earnPer1000Units: options.earnPer1000Units ?? credits?.earnPer1000Units ?? 0,
      creditValue,
      maxCoverPercent: options.maxCoverPercent ?? credits?.maxCoverPercent ?? '100',
    };
  }
  const input: BillingSettingsInput = {
    fee: {
      percent: options.feePercent ?? current.fee.percent,
      byCategory,
      vatRate: options.feeVatRate ?? current.fee.vatRate,
      duesVatRate: options.duesVatRate ?? current.fee.duesVatRate,
    },
    credits,
    paymentTermsDays: options.paymentDays ?? current.paymentTermsDays,
    mandateReference: options.mandate ?? current.mandateReference,
  };
  const updated = await client.billing.updateSettings(input);
  if (options.json) {
    printJson(updated);
    return;
  }
  if (isVote(updated)) {
    print(`Changement soumis au vote de la ${updated.commission.name} : il prendra effet si le vote l’adopte.`);
    print(`Suivez-le avec « confiance votes show ${updated.id} ».`);
    return;
  }
  print(
    `Paramètres de facturation enregistrés : version ${updated.version}` +
      `${updated.ledgerIndex === null ? '' : `, entrée ${updated.ledgerIndex} du registre`}.\n`,
  );
  printSettings(updated);
}

function printSettings(s: BillingSettingsView): void {
  const categories = ORGANISATION_CATEGORIES.flatMap((category) => {
    const c = s.fee.byCategory[category];
    if (!c) return [];
    const parts = [
      c.percent !== undefined ? `commission ${formatPercent(parsePercent(c.percent))}` : null,
      c.annualDues !== undefined ? `cotisation ${formatEuros(c.annualDues)} HT par an` : null,
    ].filter(Boolean);
    return [`${CATEGORY_LABELS[category]} : ${parts.join(', ')}`];
  });
  const credits = s.credits;
  print(
    details([
      ['Version', String(s.version)],
      ['Association', s.association ? org(s.association) : 'aucune désignée'],
      ['Commission', `${formatPercent(parsePercent(s.fee.percent))} du chiffre d’affaires HT des fournisseurs`],
      ['Par catégorie', categories.join(' ; ')],
      ['TVA de la commission', vatLabel(s.fee.vatRate)],
      ['TVA des cotisations', vatLabel(s.fee.duesVatRate)],
      [
        'Crédits',
        credits
          ? `1 crédit vaut ${formatEuros(credits.creditValue)} ; ${formatNumber(credits.earnPerQuery)} par requête, ` +
            `${formatNumber(credits.earnPer1000Units)} par 1 000 unités livrées ; jusqu’à ${formatPercent(parsePercent(credits.maxCoverPercent))} d’une facture`
          : 'non utilisés',
      ],
      ['Délai de paiement', `${formatNumber(s.paymentTermsDays)} jours`],
      ['Mandat de facturation', s.mandateReference],
      ['Modifiés le', s.updatedAt ? `${formatDateTime(s.updatedAt)}${s.updatedBy ? ` par ${s.updatedBy}` : ''}` : null],
      ['Registre', s.ledgerIndex === null ? null : `entrée ${s.ledgerIndex}`],
    ]),
  );
  if (s.summary.length > 0) {
    print();
    for (const line of s.summary) print(line);
  }
}
