import { z } from 'zod';
import {
  allocateDetailed,
  BASIS_POINTS_PER_UNIT,
  formatEuros,
  formatInteger,
  formatPercent,
  NO_BREAK_SPACE,
  parsePercent,
  percentSchema,
  priceSchema,
  countSchema,
  BillingError,
  type Cents,
} from './money';

/**
 * Fair return ("juste retour"): the revenue or funding a project earns is split between the
 * providers whose data it combined, either by a key the partners agreed (percentages summing to
 * 100 %) or in proportion to their measured contribution (rows, cells or queries, counted from the
 * log). The split is a largest-remainder allocation, so the shares add up to the amount to the
 * cent; every step is returned as a French sentence with its numbers, for the page to show.
 */

export const CONTRIBUTION_MEASURES = ['rows', 'cells', 'queries'] as const;
export type ContributionMeasure = (typeof CONTRIBUTION_MEASURES)[number];

const MEASURE_LABEL: Record<ContributionMeasure, string> = {
  rows: 'lignes livrées',
  cells: 'cellules livrées',
  queries: 'requêtes servies',
};

const contributorFields = {
  id: z.string().trim().min(1, 'identifiant du contributeur attendu').max(300),
  name: z.string().trim().min(1, 'nom du contributeur attendu').max(200),
};

const uniqueIds = (contributors: readonly { id: string }[], ctx: z.RefinementCtx) => {
  const seen = new Set<string>();
  contributors.forEach((c, i) => {
    if (seen.has(c.id)) ctx.addIssue({ code: 'custom', path: ['contributors', i, 'id'], message: `contributeur en double : ${c.id}` });
    seen.add(c.id);
  });
};

const contributorsList = <T extends z.ZodType>(item: T) =>
  z.array(item).min(1, 'au moins un contributeur est attendu').max(1000, 'au plus 1 000 contributeurs');

export const fairShareKeySchema = z
  .object({
    method: z.literal('key'),
    total: priceSchema('montant à répartir'),
    contributors: contributorsList(z.object({ ...contributorFields, percent: percentSchema('part convenue') }).strict()),
  })
  .strict()
  .superRefine((input, ctx) => {
    uniqueIds(input.contributors, ctx);
    const sum = input.contributors.reduce((s, c) => s + parsePercent(c.percent, 'part convenue'), 0);
    if (sum !== BASIS_POINTS_PER_UNIT) {
      ctx.addIssue({
        code: 'custom',
        path: ['contributors'],
        message: `les parts convenues doivent totaliser ${formatPercent(BASIS_POINTS_PER_UNIT)} ; elles totalisent ${formatPercent(sum)}`,
      });
    }
  });

export const fairShareMeasuredSchema = z
  .object({
    method: z.literal('measured'),
    total: priceSchema('montant à répartir'),
    measure: z.enum(CONTRIBUTION_MEASURES, { error: 'mesure attendue : rows (lignes), cells (cellules) ou queries (requêtes)' }),
    contributors: contributorsList(z.object({ ...contributorFields, measured: countSchema('contribution mesurée') }).strict()),
  })
  .strict()
  .superRefine((input, ctx) => {
    uniqueIds(input.contributors, ctx);
    if (input.contributors.every((c) => c.measured === 0)) {
      ctx.addIssue({ code: 'custom', path: ['contributors'], message: 'aucune contribution mesurée : rien ne permet de répartir' });
    }
  });

export const fairShareInputSchema = z.discriminatedUnion('method', [fairShareKeySchema, fairShareMeasuredSchema], {
  error: 'méthode attendue : key (clé convenue) ou measured (contribution mesurée)',
});
export type FairShareInput = z.output<typeof fairShareInputSchema>;

export interface FairShareStep {
  text: string;
  values: Record<string, string | number>;
}

export interface ContributorShare {
  id: string;
  name: string;
  /** Basis points of the agreed key, or the measured count. */
  weight: number;
  /** The exact share before rounding, in euros, as French text ("740,736 €", "≈ 411,5233 €"). */
  exact: string;
  amount: Cents;
}

export interface FairShare {
  method: FairShareInput['method'];
  total: Cents;
  shares: ContributorShare[];
  steps: FairShareStep[];
}

/**
 * `numerator / denominator` cents as euros in French, to a ten-thousandth of a cent at most;
 * "≈ " in front when the decimal expansion goes further.
 */
function exactEuros(numerator: bigint, denominator: bigint): string {
  const scale = 10_000n; // 1/100 of a cent
  const scaled = numerator * scale;
  const whole = scaled / denominator;
  const approximate = scaled % denominator !== 0n;
  const cents = whole / scale;
  const fraction = String(whole % scale)
    .padStart(4, '0')
    .replace(/0+$/, '');
  const euros = formatEuros(Number(cents)).replace(`${NO_BREAK_SPACE}€`, '');
  return `${approximate ? '≈ ' : ''}${euros}${fraction}${NO_BREAK_SPACE}€`;
}

/** `numerator / denominator` of a cent, in French ("0,6 centime", "≈ 0,3333 centime"). */
function centFraction(numerator: bigint, denominator: bigint): string {
  const scaled = (numerator * 10_000n) / denominator;
  const approximate = (numerator * 10_000n) % denominator !== 0n;
  const digits = String(scaled).padStart(5, '0');
  const text = `${digits.slice(0, -4).replace(/^0+(?=\d)/, '')},${digits.slice(-4)}`.replace(/,?0+$/, '');
  return `${approximate ? '≈ ' : ''}${text} centime`;
}

/** Splits a project's amount between its contributors and explains each step in French. */
export function fairShare(rawInput: z.input<typeof fairShareInputSchema>): FairShare {
  const parsed = fairShareInputSchema.safeParse(rawInput);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new BillingError(issue.message, issue.path.join('.'));
  }
  const input = parsed.data;
  const weights =
    input.method === 'key' ? input.contributors.map((c) => parsePercent(c.percent)) : input.contributors.map((c) => c.measured);
  const allocation = allocateDetailed(input.total, weights);
  const denominator = BigInt(allocation.denominator);
  const names = input.contributors.map((c) => c.name);
  const steps: FairShareStep[] = [];

  steps.push({
    text: `Montant à répartir : ${formatEuros(input.total)} entre ${input.contributors.length} contributeur${input.contributors.length > 1 ? 's' : ''}.`,
    values: { total: input.total, contributors: input.contributors.length },
  });
  if (input.method === 'key') {
    steps.push({
      text: `Clé convenue entre les partenaires : ${input.contributors.map((c, i) => `${c.name} ${formatPercent(weights[i]!)}`).join(', ')} ; total 100${NO_BREAK_SPACE}%.`,
      values: Object.fromEntries(input.contributors.map((c) => [c.id, c.percent])),
    });
  } else {
    steps.push({
      text:
        `Contribution mesurée dans le journal (${MEASURE_LABEL[input.measure]}) : ` +
        `${input.contributors.map((c) => `${c.name} ${formatInteger(c.measured)}`).join(', ')} ; total ${formatInteger(denominator)}.`,
      values: {
        measure: input.measure,
        total: allocation.denominator,
        ...Object.fromEntries(input.contributors.map((c) => [c.id, c.measured])),
      },
    });
  }

  const shares: ContributorShare[] = input.contributors.map((c, i) => {
    const item = allocation.items[i]!;
    const exact = exactEuros(BigInt(input.total) * BigInt(item.weight), denominator);
    const factor = input.method === 'key' ? formatPercent(item.weight) : `${formatInteger(item.weight)} / ${formatInteger(denominator)}`;
    steps.push({
      text:
        `${c.name} : ${formatEuros(input.total)} × ${factor} ${exact.startsWith('≈') ? '' : '= '}${exact}` +
        (exact.startsWith('≈') || BigInt(item.remainder) !== 0n
          ? `, soit ${formatEuros(item.floor)} au centime inférieur (reste ${centFraction(BigInt(item.remainder), denominator)}).`
          : ', un nombre exact de centimes.'),
      values: { id: c.id, weight: item.weight, exact, floor: item.floor, remainder: `${item.remainder}/${allocation.denominator}` },
    });
    return { id: c.id, name: c.name, weight: item.weight, exact, amount: item.share };
  });

  const floorSum = allocation.items.reduce((s, item) => s + item.floor, 0);
  if (allocation.leftover === 0) {
    steps.push({
      text: `Les parts au centime inférieur font ${formatEuros(floorSum)} : le total est atteint, aucun centime à attribuer.`,
      values: { floors: floorSum, leftover: 0 },
    });
  } else {
    steps.push({
      text:
        `Les parts au centime inférieur font ${formatEuros(floorSum)} : il reste ${allocation.leftover} centime${allocation.leftover > 1 ? 's' : ''} ` +
        `à attribuer, un par un, aux plus grands restes (à reste égal, au premier dans l'ordre de la liste) : ` +
        `${allocation.recipients.map((i) => `${names[i]} (reste ${centFraction(BigInt(allocation.items[i]!.remainder), denominator)})`).join(', ')}.`,
      values: {
        floors: floorSum,
        leftover: allocation.leftover,
        recipients: allocation.recipients.map((i) => input.contributors[i]!.id).join(','),
      },
    });
  }
  steps.push({
    text: `Résultat : ${shares.map((s) => `${s.name} ${formatEuros(s.amount)}`).join(', ')} ; total ${formatEuros(input.total)}.`,
    values: Object.fromEntries(shares.map((s) => [s.id, s.amount])),
  });
  return { method: input.method, total: input.total, shares, steps };
}
