import type { ContractState, RequestStage } from '@confiance/contract';
import { AppError } from '../../platform/http/errors';

/**
 * The state machines, in one place. A request moves through its stages (and the Dataspace
 * Protocol negotiation states); a contract through active ⇄ suspended → terminated | expired
 * (the DSP transfer states). Anything else is a 409 naming the state it is in.
 */

export type RequestAction = 'approve' | 'reject' | 'withdraw' | 'review';
const REQUEST_MOVES: Record<RequestAction, readonly RequestStage[]> = {
  approve: ['provider_review'],
  reject: ['provider_review', 'ethics_review'],
  withdraw: ['provider_review', 'ethics_review'],
  review: ['ethics_review'],
};

const STAGE_WORDS: Record<RequestStage, string> = {
  provider_review: 'attend la décision du fournisseur',
  ethics_review: 'attend l’avis de la commission d’éthique',
  agreed: 'est déjà accordée',
  refused: 'a été refusée',
  withdrawn: 'a été retirée',
};

export function assertRequestMove(stage: RequestStage, action: RequestAction): void {
  if (!REQUEST_MOVES[action].includes(stage)) {
    throw new AppError('conflict', `Cette demande ${STAGE_WORDS[stage]} : impossible de ${ACTION_WORDS[action]}.`, { stage });
  }
}
const ACTION_WORDS: Record<RequestAction, string> = {
  approve: 'l’approuver',
  reject: 'la refuser',
  withdraw: 'la retirer',
  review: 'l’examiner',
};

export type ContractAction = 'suspend' | 'resume' | 'terminate' | 'amend' | 'expire';
const CONTRACT_MOVES: Record<ContractAction, { from: readonly ContractState[]; to: ContractState }> = {
  suspend: { from: ['active'], to: 'suspended' },
  resume: { from: ['suspended'], to: 'active' },
  terminate: { from: ['active', 'suspended'], to: 'terminated' },
  amend: { from: ['active', 'suspended'], to: 'active' },
  expire: { from: ['active', 'suspended'], to: 'expired' },
};
const CONTRACT_WORDS: Record<ContractState, string> = {
  active: 'est en vigueur',
  suspended: 'est suspendu',
  terminated: 'est résilié',
  expired: 'a expiré',
};
const CONTRACT_ACTION_WORDS: Record<ContractAction, string> = {
  suspend: 'le suspendre',
  resume: 'le reprendre',
  terminate: 'le résilier',
  amend: 'le modifier',
  expire: 'le faire expirer',
};

/** The state a contract moves to, or a 409 saying why it cannot. */
export function contractMove(state: ContractState, action: ContractAction): ContractState {
  const move = CONTRACT_MOVES[action];
  if (!move.from.includes(state)) {
    throw new AppError('conflict', `Ce contrat ${CONTRACT_WORDS[state]} : impossible de ${CONTRACT_ACTION_WORDS[action]}.`, { state });
  }
  return move.to;
}

export function contractMovesFrom(state: ContractState): ContractAction[] {
  return (Object.keys(CONTRACT_MOVES) as ContractAction[]).filter((a) => CONTRACT_MOVES[a].from.includes(state));
}
