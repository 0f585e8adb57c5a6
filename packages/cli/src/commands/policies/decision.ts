import { ApiError, actionLabel, type PolicyIssue } from '@confiance/contract';
import { NegativeAnswer } from '../../errors';
import { note, print } from '../../output';

/**
 * How the CLI prints a policy decision — the local evaluator's (`policies evaluate`) and the node's
 * preview (`offers evaluate`) alike: the outcome, then every rule with each of its constraints and
 * duties, marked ✓ / ✗ / – with the evaluator's French reason.
 */

/**
 * Exit code of a denied request: the command worked and the answer is no. The same code as a
 * ledger proof that does not hold, so that scripts can tell « refused » from « could not ask » (1).
 */
export const EXIT_DENIED = 3;

type Satisfaction = 'satisfied' | 'not_satisfied' | 'not_applicable';

/** What both the contract's `Decision` and the API's `DecisionView` have. */
interface ConstraintLike {
  label: string;
  state: Satisfaction;
  reason: string;
  children?: ConstraintLike[] | undefined;
}
interface DutyLike {
  label: string;
  state: string;
  reason: string;
}
interface RuleLike {
  kind: string;
  path: string;
  action: string;
  actionLabel?: string;
  state: 'active' | 'inactive';
  reason: string;
  refinements?: ConstraintLike[];
  constraints: ConstraintLike[];
  duties: DutyLike[];
}
export interface DecisionLike {
  outcome: 'permit' | 'deny';
  summary: string;
  rules: RuleLike[];
}

export const MARK: Record<Satisfaction, string> = { satisfied: '✓', not_satisfied: '✗', not_applicable: '–' };
const DUTY_MARK: Record<string, string> = { fulfilled: '✓', violated: '✗', pending: '…', inactive: '–' };
export const RULE_KIND_LABELS: Record<string, string> = {
  permission: 'Permission',
  prohibition: 'Interdiction',
  obligation: 'Obligation',
  duty: 'Obligation',
  remedy: 'Réparation',
  consequence: 'Conséquence',
};

function constraintLines(results: readonly ConstraintLike[], indent: string): string[] {
  return results.flatMap((c) => [
    `${indent}${MARK[c.state]} ${c.label} — ${c.reason}`,
    ...constraintLines(c.children ?? [], `${indent}  `),
  ]);
}

/** The rules part of a decision, one block per rule. */
export function ruleLines(rules: readonly RuleLike[]): string[] {
  return rules.flatMap((rule) => {
    const kind = RULE_KIND_LABELS[rule.kind] ?? rule.kind;
    // The evaluator's reason for an inactive rule already starts with the verdict.
    const reason = rule.reason.replace(/^ne s’applique pas : /, '');
    const verdict = rule.state === 'active' ? 's’applique' : 'ne s’applique pas';
    return [
      `${kind} « ${rule.actionLabel ?? actionLabel(rule.action)} » (${rule.path}) : ${verdict} — ${reason}`,
      ...constraintLines([...(rule.refinements ?? []), ...rule.constraints], '  '),
      ...rule.duties.map((d) => `  ${DUTY_MARK[d.state] ?? '·'} Obligation : ${d.label} — ${d.reason}`),
    ];
  });
}

export const LEGEND = '✓ remplie · ✗ non remplie · – sans objet ou vérifiée à chaque utilisation · … obligation à remplir';

/** Prints a decision for people; `header` lines (charter, agreement) go between the outcome and the rules. */
export function printDecision(decision: DecisionLike, header: readonly string[] = []): void {
  print(decision.summary);
  for (const line of header) print(line);
  print();
  for (const line of ruleLines(decision.rules)) print(line);
  print();
  print(LEGEND);
}

/** Ends the command with exit code 3 when the request is denied (after the decision was printed). */
export function exitWithOutcome(decision: { outcome: 'permit' | 'deny' }): void {
  if (decision.outcome === 'deny') throw new NegativeAnswer(EXIT_DENIED);
}

/** One problem of a policy per line, on stderr: the JSON path at fault, then what is wrong. */
export function printIssues(issues: readonly PolicyIssue[]): void {
  for (const issue of issues) note(`  ✗ ${issue.path || '(racine)'} — ${issue.message}`);
}

/** An `invalid_policy` answer lists its issues with their paths: print them before the error line. */
export function showPolicyIssues(error: unknown): unknown {
  if (error instanceof ApiError && error.code === 'invalid_policy') {
    const issues = (error.details as { issues?: unknown } | undefined)?.issues;
    if (Array.isArray(issues)) {
      printIssues(
        issues
          .filter((i): i is { path?: unknown; message?: unknown } => typeof i === 'object' && i !== null)
          .map((i) => ({ path: String(i.path ?? ''), message: String(i.message ?? '') })),
      );
    }
  }
  return error;
}
