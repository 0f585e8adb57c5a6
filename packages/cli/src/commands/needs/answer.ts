import { ApiError, REFUSAL_MIN_LENGTH, type NeedAnswerKind } from '@confiance/contract';
import { connect } from '../../api';
import { CliError } from '../../errors';
import { print, printJson } from '../../output';
import { printNeed } from './need';

export interface NeedsAnswerOptions {
  organisation: string;
  dataset?: string;
  plan?: string;
  refuse?: string;
  message?: string;
  json?: boolean;
}

/**
 * A provider answers a need, one of three ways: `--dataset` (a dataset it publishes), `--plan`
 * (the date it expects to publish) or `--refuse "raison"`. One answer per organisation and need.
 */
export async function needsAnswer(id: string, options: NeedsAnswerOptions): Promise<void> {
  const given = [options.dataset, options.plan, options.refuse].filter((v) => v !== undefined).length;
  if (given !== 1) {
    throw new CliError('Répondez d’une seule façon : --dataset JEU, --plan AAAA-MM-JJ ou --refuse "raison".', { exitCode: 2 });
  }
  const kind: NeedAnswerKind = options.dataset ? 'dataset' : options.plan ? 'plan' : 'refusal';
  if (kind === 'refusal' && options.refuse!.trim().length < REFUSAL_MIN_LENGTH) {
    throw new CliError(`Expliquez le refus en ${REFUSAL_MIN_LENGTH} caractères au moins.`, { exitCode: 2 });
  }
  const { client } = await connect({ requireAuth: true });
  let need;
  try {
    need = await client.needs.answer(id, {
      organisation: options.organisation,
      kind,
      dataset: options.dataset ?? null,
      expectedAt: options.plan ?? null,
      message: kind === 'refusal' ? options.refuse!.trim() : (options.message ?? ''),
    });
  } catch (error) {
    if (error instanceof ApiError && error.code === 'forbidden') {
      throw new ApiError(
        error.status,
        error.code,
        `${error.message} Seuls les responsables des données et administrateurs de --organisation répondent pour elle.`,
        error.details,
        error.requestId,
      );
    }
    throw error;
  }
  if (options.json) {
    printJson(need);
    return;
  }
  print('Réponse envoyée : l’auteur du besoin est prévenu.\n');
  printNeed(need);
}
