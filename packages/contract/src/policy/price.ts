import { ORGANISATION_CATEGORIES } from '../members';
import { planSchema, type Plan, type PlanInput } from '../billing/plans';
import type { AtomicConstraint, Constraint, Policy, PolicyIssue, Rule } from './model';
import { canonicalAction } from './terms';

/**
 * A price plan in the ODRL Offer, and back. ODRL 2.2 says "pay" with a `compensate` duty of the
 * permission, refined by `payAmount` (an xsd:decimal with a currency `unit`): that carries the base
 * price. What ODRL has no term for — the kind of plan, its unit, category and public-interest
 * prices, the member discount, the VAT rate, a subscription's quota — goes in refinements on the
 * Confiance profile's left operands (`terms.ts`). A free plan writes no duty at all, so offers and
 * agreements made before plans existed read back as free.
 */

/** The currency of `payAmount`, as the ODRL 2.2 Information Model's own examples name the euro. */
export const EURO_UNIT = 'http://dbpedia.org/resource/Euro';

/** Cents → xsd:decimal euros (`50` → `0.50`). */
export function centsDecimal(cents: number): string {
  const digits = String(Math.abs(cents)).padStart(3, '0');
  return `${cents < 0 ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/** xsd:decimal euros → cents, exactly; null when not a whole number of cents. */
export function decimalCents(text: string): number | null {
  const m = /^\+?(\d+)(?:\.(\d*))?$/.exec(text.trim());
  if (!m) return null;
  const fraction = (m[2] ?? '').replace(/0+$/, '');
  if (fraction.length > 2) return null;
  const cents = Number(m[1]) * 100 + Number(fraction.padEnd(2, '0'));
  return Number.isSafeInteger(cents) ? cents : null;
}

const euros = (cents: number) => ({ '@value': centsDecimal(cents), '@type': 'xsd:decimal' });
const refinement = (leftOperand: string, operator: string, rightOperand: unknown, unit?: string) => ({
  leftOperand,
  operator,
  rightOperand,
  ...(unit ? { unit } : {}),
});

/** The `compensate` duty a plan adds to each permission; null for a free plan. */
export function planDuty(plan: Plan): Record<string, unknown> | null {
  if (plan.kind === 'free') return null;
  const refinements: Record<string, unknown>[] = [
    refinement('payAmount', 'eq', euros(plan.price), EURO_UNIT),
    refinement('cf:planKind', 'eq', plan.kind),
    refinement('cf:priceUnit', 'eq', plan.kind === 'per_query' ? 'query' : plan.kind === 'per_units' ? plan.unit : 'month'),
  ];
  const categories = ORGANISATION_CATEGORIES.filter((c) => plan.categoryPrices[c] !== undefined);
  if (categories.length > 0)
    refinements.push(
      refinement(
        'cf:categoryPrice',
        'isAnyOf',
        categories.map((c) => `${c}=${centsDecimal(plan.categoryPrices[c]!)}`),
      ),
    );
  if (plan.publicInterestPrice !== null)
    refinements.push(refinement('cf:publicInterestPrice', 'eq', euros(plan.publicInterestPrice), EURO_UNIT));
  if (plan.memberDiscount !== '0')
    refinements.push(refinement('cf:memberDiscount', 'eq', { '@value': plan.memberDiscount, '@type': 'xsd:decimal' }));
  refinements.push(refinement('cf:vatRate', 'eq', plan.vatRate));
  if (plan.kind === 'subscription' && plan.includedQueries !== null) {
    refinements.push(refinement('cf:includedQueries', 'eq', { '@value': plan.includedQueries, '@type': 'xsd:integer' }));
    if (plan.extraQueryPrice !== null) refinements.push(refinement('cf:extraQueryPrice', 'eq', euros(plan.extraQueryPrice), EURO_UNIT));
  }
  return { action: [{ 'rdf:value': { '@id': 'odrl:compensate' }, refinement: refinements }] };
}

function atomics(constraints: readonly Constraint[]): AtomicConstraint[] {
  return constraints.flatMap((c) => (c.kind === 'atomic' ? [c] : c.operator === 'and' ? atomics(c.constraints) : []));
}

const isCompensate = (duty: Rule) => canonicalAction(duty.action) === 'compensate';

const PRICE_OPERANDS = ['payAmount', 'cf:publicInterestPrice', 'cf:extraQueryPrice'];

/** One `compensate` duty read as a plan's input, with what is wrong in it. */
function planInputOf(duty: Rule): { input: Record<string, unknown>; issues: PolicyIssue[] } {
  const issues: PolicyIssue[] = [];
  const all = [...atomics(duty.refinements), ...atomics(duty.constraints)];
  const at = (leftOperand: string) => all.find((c) => c.leftOperand === leftOperand);
  const first = (leftOperand: string) => at(leftOperand)?.rightOperand[0]?.value;
  const where = (c: AtomicConstraint | undefined) => (c ? `${c.path}.rightOperand` : `${duty.path}.action.refinement`);
  const cents = (leftOperand: string): number | undefined => {
    const c = at(leftOperand);
    if (!c) return undefined;
    if (c.unit !== undefined && !/euro|EUR$/i.test(c.unit))
      issues.push({ path: `${c.path}.unit`, message: 'les prix s’expriment en euros (unit : http://dbpedia.org/resource/Euro)' });
    const value = decimalCents(c.rightOperand[0]?.value ?? '');
    if (value === null)
      issues.push({ path: where(c), message: 'un montant en euros est attendu, deux décimales au plus (par exemple 0.50)' });
    return value ?? undefined;
  };
  const kind = first('cf:planKind');
  if (kind === undefined)
    issues.push({
      path: `${duty.path}.action.refinement`,
      message: 'un tarif (compensate) précise son type : cf:planKind per_query, per_units ou subscription',
    });
  if (!at('payAmount'))
    issues.push({ path: `${duty.path}.action.refinement`, message: 'un tarif (compensate) donne son prix de base : payAmount en euros' });
  for (const operand of PRICE_OPERANDS) cents(operand);
  const unit = first('cf:priceUnit');
  const expectedUnit = kind === 'per_query' ? ['query'] : kind === 'subscription' ? ['month'] : ['rows', 'cells'];
  if (unit !== undefined && !expectedUnit.includes(unit))
    issues.push({
      path: where(at('cf:priceUnit')),
      message: `unité facturée « ${unit} » : attendu ${expectedUnit.join(' ou ')} pour ce type de tarif`,
    });
  const categoryPrices: Record<string, number | string> = {};
  for (const value of at('cf:categoryPrice')?.rightOperand ?? []) {
    const [category = '', price = ''] = value.value.split('=');
    const c = decimalCents(price);
    if (c === null)
      issues.push({
        path: where(at('cf:categoryPrice')),
        message: `« ${value.value} » : catégorie=prix en euros attendu (public_body=0.30)`,
      });
    else categoryPrices[category] = c;
  }
  const included = first('cf:includedQueries');
  const input: Record<string, unknown> = {
    kind,
    price: cents('payAmount'),
    categoryPrices,
    ...(at('cf:publicInterestPrice') ? { publicInterestPrice: cents('cf:publicInterestPrice') } : {}),
    ...(at('cf:memberDiscount') ? { memberDiscount: first('cf:memberDiscount') } : {}),
    ...(at('cf:vatRate') ? { vatRate: first('cf:vatRate') } : {}),
  };
  if (kind === 'per_units') input.unit = unit;
  if (kind === 'subscription') {
    if (included !== undefined) input.includedQueries = Number(included);
    if (at('cf:extraQueryPrice')) input.extraQueryPrice = cents('cf:extraQueryPrice');
  }
  return { input, issues };
}

/**
 * The plan a policy sets, read from its permissions' `compensate` duties: free when there is none
 * (offers and agreements made before plans existed), else the one plan every paying permission
 * carries. `issues` says, in French and with the JSON path, why a duty does not read as a plan.
 */
export function planOf(policy: Policy): { plan: Plan; issues: PolicyIssue[] } {
  const found: { plan: Plan; path: string }[] = [];
  const issues: PolicyIssue[] = [];
  for (const rule of policy.permissions) {
    for (const duty of rule.duties.filter(isCompensate)) {
      const read = planInputOf(duty);
      if (read.issues.length > 0) {
        issues.push(...read.issues);
        continue;
      }
      const parsed = planSchema.safeParse(read.input as PlanInput);
      if (!parsed.success) {
        for (const i of parsed.error.issues) issues.push({ path: `${duty.path}.action.refinement`, message: i.message });
        continue;
      }
      found.push({ plan: parsed.data, path: duty.path });
    }
  }
  const plan = found[0]?.plan ?? { kind: 'free' as const };
  for (const other of found.slice(1)) {
    if (JSON.stringify(other.plan) !== JSON.stringify(plan))
      issues.push({ path: other.path, message: 'toutes les permissions d’une offre portent le même tarif' });
  }
  return { plan, issues };
}
