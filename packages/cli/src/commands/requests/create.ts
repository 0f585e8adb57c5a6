import { AGREEMENT_LABEL, ApiError, type DataUse, type DecisionView } from '@confiance/contract';
import { connect } from '../../api';
import { NegativeAnswer } from '../../errors';
import { note, print, printJson } from '../../output';
import { EXIT_DENIED, MARK, printDecision } from '../policies/decision';
import { nextStep, outcomeLine, requestHint } from './request';

export interface RequestsCreateOptions {
  organisation: string;
  purpose: string;
  duration: number;
  justification: string;
  use?: DataUse;
  project?: string;
  user?: string[];
  json?: boolean;
}

/**
 * A consumer asks for an offer. The node evaluates it first, constraint by constraint: an automatic
 * offer whose constraints hold is agreed at once (a contract), otherwise the request waits for the
 * provider or the ethics commission. A request the evaluator refuses is not recorded: its decision
 * is printed and the exit code is 3, as for `offers evaluate`.
 */
export async function requestsCreate(offer: string, options: RequestsCreateOptions): Promise<void> {
  const { client } = await connect({ requireAuth: true });
  let request;
  try {
    request = await client.requests.create({
      offer,
      organisation: options.organisation,
      project: options.project ?? null,
      purpose: options.purpose,
      durationMonths: options.duration,
      ...(options.use ? { use: options.use } : {}),
      justification: options.justification,
      users: [...new Set(options.user ?? [])],
    });
  } catch (error) {
    const decision = refusedDecision(error);
    if (!decision) throw requestHint(error);
    if (options.json) printJson(decision);
    else {
      printDecision(decision, decisionHeader(decision));
      note(
        '\nDemande non enregistrée : ajustez-la (finalité, durée, usage) ou choisissez une autre offre ; « confiance offers evaluate » essaie sans rien enregistrer.',
      );
    }
    throw new NegativeAnswer(EXIT_DENIED);
  }
  if (options.json) {
    printJson(request);
    return;
  }
  printDecision(request.decision, decisionHeader(request.decision));
  print(`\n${outcomeLine(request)}`);
  print(`Demande ${request.id}`);
  const next = nextStep(request);
  if (next) note(next);
  else note(`Où elle en est : confiance requests show ${request.id}`);
}

function decisionHeader(decision: DecisionView): string[] {
  return [`Charte : ${MARK[decision.charter.state]} ${decision.charter.reason}`, `Accord : ${AGREEMENT_LABEL[decision.agreement]}`];
}

/** The evaluator's refusal: a 409 whose details carry the decision, constraint by constraint. */
function refusedDecision(error: unknown): DecisionView | null {
  if (!(error instanceof ApiError) || error.code !== 'conflict') return null;
  const decision = (error.details as { decision?: unknown } | undefined)?.decision;
  if (typeof decision !== 'object' || decision === null) return null;
  const d = decision as Partial<DecisionView>;
  return d.outcome && Array.isArray(d.rules) && d.charter ? (decision as DecisionView) : null;
}
