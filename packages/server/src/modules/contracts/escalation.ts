import { reviewDecisionInput } from '@confiance/contract';
import { z } from 'zod';
import { AppError } from '../../platform/http/errors';
import { registerGateExecutor } from '../governance/index';
import { reviewRequestIn } from './commands/requests';
import { findRequest } from './repository';
import { assertRequestMove } from './states';

/**
 * A reviewer may escalate a review to the ethics commission (when the operator put escalated
 * reviews behind its vote): the decision they propose waits for the vote, and the adopted vote
 * decides the request in its closing transaction, as the reviewer would have.
 */
const escalated = z.object({ request: z.uuid(), dataset: z.string().default(''), review: reviewDecisionInput }).strict();

const DECISION_FR = { approved: 'approuver la demande', conditions: 'l’approuver sous conditions', rejected: 'la rejeter' } as const;

export function registerEscalatedReviews(): void {
  registerGateExecutor('ethics_review', {
    async prepare(db, payload) {
      const parsed = escalated.omit({ dataset: true }).parse(payload);
      const row = await findRequest(db, parsed.request);
      if (!row) throw new AppError('not_found', 'Demande introuvable.');
      assertRequestMove(row.stage, 'review');
      return { ...parsed, dataset: row.dataset_title };
    },
    question: (payload) => {
      const p = escalated.parse(payload);
      return `Décider la demande d’accès à « ${p.dataset} » : ${DECISION_FR[p.review.decision]} ?`;
    },
    describe(payload) {
      const { dataset, review } = escalated.parse(payload);
      return [
        `Un examinateur renvoie à la commission la demande d’accès à « ${dataset} » et propose de ${DECISION_FR[review.decision]}.`,
        ...(review.conditions ? [`Conditions proposées : ${review.conditions}`] : []),
        ...(review.reasons ? [`Raisons proposées : ${review.reasons}`] : []),
        'Adopté, l’avis est rendu au nom de la commission ; rejeté, la demande reste à examiner.',
      ];
    },
    async execute(trx, actor, payload) {
      const { request, review } = escalated.parse(payload);
      const row = await findRequest(trx, request);
      if (!row) throw new AppError('not_found', 'Demande introuvable.');
      await reviewRequestIn(trx, actor, row, review);
    },
  });
}
