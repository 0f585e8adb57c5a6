import { ApiError, type ReviewDecision } from '@confiance/contract';
import { connect } from '../../api';
import { UsageError } from '../../errors';
import { REVIEW_DECISION_LABELS } from '../../labels';
import { note, print, printJson } from '../../output';
import { nextStep, outcomeLine, requestHint } from '../requests/request';
import { checklist, type SafeAnswer } from './safes';

export interface ReviewsDecideOptions {
  decision: ReviewDecision;
  safe?: SafeAnswer[];
  conditions?: string;
  reasons?: string;
  json?: boolean;
}

/** A member of the ethics commission records the Five Safes checklist and the decision. */
export async function reviewsDecide(id: string, options: ReviewsDecideOptions): Promise<void> {
  const answers = checklist(options.safe ?? []);
  if (options.decision === 'conditions' && !options.conditions)
    throw new UsageError('Une approbation sous conditions dit lesquelles : ajoutez --conditions "…".');
  if (options.decision === 'rejected' && !options.reasons)
    throw new UsageError('Un rejet dit pourquoi au demandeur : ajoutez --reasons "…".');
  const { client } = await connect({ requireAuth: true });
  let request;
  try {
    request = await client.reviews.decide(id, {
      decision: options.decision,
      checklist: answers,
      conditions: options.conditions ?? null,
      reasons: options.reasons ?? null,
    });
  } catch (error) {
    throw reviewHint(error, id);
  }
  if (options.json) {
    printJson(request);
    return;
  }
  print(`Examen rendu : demande ${REVIEW_DECISION_LABELS[options.decision]}.`);
  print(outcomeLine(request));
  const next = nextStep(request);
  if (next) note(next);
}

function reviewHint(error: unknown, id: string): unknown {
  if (error instanceof ApiError && error.code === 'forbidden')
    return new ApiError(
      error.status,
      error.code,
      `${error.message.replace(/\s*$/, '')} Seuls les membres de la commission d’éthique rendent un examen.`,
      error.details,
      error.requestId,
    );
  if (error instanceof ApiError && error.code === 'conflict')
    return new ApiError(
      error.status,
      error.code,
      `${error.message.replace(/\s*$/, '')} Où en est la demande : « confiance requests show ${id} ».`,
      error.details,
      error.requestId,
    );
  return requestHint(error, id);
}
