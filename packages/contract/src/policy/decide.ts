import type { Decision, EvaluateOptions, EvaluationRequest } from './evaluate';
import { evaluatePolicy } from './evaluate';
import type { Policy } from './model';

/** Where the requesting organisation stands with the ethics charter. */
export interface CharterStanding {
  /** Non-open data needs the current charter signed (the charter's `signatureRequired`). */
  required: boolean;
  signed: boolean;
  version: string | null;
}

export interface OfferDecision extends Decision {
  charter: CharterStanding & { state: 'satisfied' | 'not_satisfied' | 'not_applicable'; reason: string };
}

/**
 * The decision on an offer for one request: the charter first (an organisation that has not signed
 * it obtains no non-open data), then the offer's policy, duties counted as obligations of use.
 */
export function decideOffer(
  policy: Policy,
  request: EvaluationRequest,
  charter: CharterStanding,
  options: EvaluateOptions = {},
): OfferDecision {
  const evaluated = evaluatePolicy(policy, request, { pendingDuties: 'allow', ...options });
  // The evaluator writes its summary on demand (a getter): copied here as plain data.
  const decision = { outcome: evaluated.outcome, conditional: evaluated.conditional, rules: evaluated.rules, summary: evaluated.summary };
  if (!charter.required) {
    return {
      ...decision,
      charter: {
        ...charter,
        state: 'not_applicable',
        reason:
          charter.version === null
            ? 'aucune charte éthique n’est encore publiée : rien à signer'
            : 'la charte ne conditionne pas l’accès à ces données',
      },
    };
  }
  if (!charter.signed) {
    const reason = charter.version
      ? `l’organisation n’a pas signé la charte éthique en vigueur (version ${charter.version}) ; un administrateur de l’organisation peut la signer sur la page Charte`
      : 'aucune charte éthique n’est encore publiée';
    return {
      ...decision,
      outcome: 'deny',
      conditional: false,
      summary: `Refusé : ${reason}.`,
      charter: { ...charter, state: 'not_satisfied', reason },
    };
  }
  return { ...decision, charter: { ...charter, state: 'satisfied', reason: `charte éthique version ${charter.version ?? '?'} signée` } };
}
