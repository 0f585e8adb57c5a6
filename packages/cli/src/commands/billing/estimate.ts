import { formatEuros, type EstimateInput } from '@confiance/contract';
import { connect } from '../../api';
import { UsageError } from '../../errors';
import { CATEGORY_LABELS, label } from '../../labels';
import { details, formatNumber, plural, print, printJson } from '../../output';
import { periodLabel, pricedTable, printNotes, printTotals } from './billing';

export interface BillingEstimateOptions {
  contract?: string;
  offer?: string;
  organisation?: string;
  queries?: number;
  rows?: number;
  months?: number;
  json?: boolean;
}

/**
 * What a use would cost, before running it: under a contract, or under an offer for an
 * organisation before asking for it. The node prices it with the plan and the party's category,
 * membership and purpose — the same arithmetic as the month's statement.
 */
export async function billingEstimate(options: BillingEstimateOptions): Promise<void> {
  if ((options.contract === undefined) === (options.offer === undefined))
    throw new UsageError('Indiquez soit --contract ID (un contrat conclu), soit --offer ID --organisation SLUG (avant de le demander).');
  if (options.contract !== undefined && options.organisation !== undefined)
    throw new UsageError('--organisation va avec --offer : sous un contrat, le preneur est déjà connu.');
  const given = options.queries !== undefined || options.rows !== undefined || options.months !== undefined;
  const input: EstimateInput = {
    ...(options.contract !== undefined ? { contract: options.contract } : { offer: options.offer }),
    ...(options.organisation !== undefined ? { organisation: options.organisation } : {}),
    // Nothing given: the node's default, one query.
    ...(given ? { usage: { queries: options.queries ?? 0, units: options.rows ?? 0, months: options.months ?? 0 } } : {}),
  };
  const { client } = await connect({ requireAuth: true });
  const estimate = await client.billing.estimate(input);
  if (options.json) {
    printJson(estimate);
    return;
  }
  const party = estimate.party;
  const usage = estimate.usage;
  print(
    details([
      ['Tarif', estimate.planSummary],
      ['Prix appliqué', estimate.tariff ? `${formatEuros(estimate.tariff.price)} HT (${estimate.tariff.reason})` : null],
      [
        'Preneur',
        `${label(CATEGORY_LABELS, party.category)}, ${party.member ? 'adhérent' : 'non adhérent'}${party.publicInterest ? ', finalité d’intérêt public' : ''}`,
      ],
      [
        'Usage estimé',
        [
          plural(usage.queries, 'requête'),
          usage.units > 0 ? plural(usage.units, 'unité livrée', 'unités livrées') : null,
          usage.months > 0 ? `${formatNumber(usage.months)} mois` : null,
        ]
          .filter((part) => part !== null)
          .join(', '),
      ],
      [
        'Ce mois-ci',
        estimate.month
          ? `${plural(estimate.month.queries, 'requête')} en ${periodLabel(estimate.month.period)}${estimate.month.included === null ? '' : ` sur ${formatNumber(estimate.month.included)} incluses`}`
          : null,
      ],
    ]),
  );
  if (estimate.lines.length > 0) print(`\n${pricedTable(estimate.lines)}`);
  print();
  printTotals(estimate.totals);
  printNotes(estimate.notes);
}
