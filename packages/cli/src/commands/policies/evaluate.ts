import { evaluatePolicy, readPolicy, term, type EvaluationRequest, type Scalar } from '@confiance/contract';
import { CliError, UsageError } from '../../errors';
import { plural, printJson } from '../../output';
import { readJson } from '../ledger/files';
import { exitWithOutcome, printDecision, printIssues } from './decision';

export interface PoliciesEvaluateOptions {
  policy: string;
  request?: string;
  action?: string;
  target?: string;
  assignee?: string;
  purpose?: string;
  partyType?: string;
  duration?: string;
  now?: string;
  context?: [string, string][];
  pendingDuties?: 'allow' | 'block';
  json?: boolean;
}

const REQUEST_FLAGS = ['action', 'target', 'assignee', 'purpose', 'partyType', 'duration', 'now', 'context'] as const;
const FLAG_NAMES: Record<(typeof REQUEST_FLAGS)[number], string> = {
  action: '--action',
  target: '--target',
  assignee: '--assignee',
  purpose: '--purpose',
  partyType: '--party-type',
  duration: '--duration',
  now: '--now',
  context: '--context',
};

/**
 * Evaluates a request against an ODRL policy on this machine, with the same pure evaluator the node
 * uses: nothing is sent anywhere. Exit code 0 when permitted, 3 when denied, 1 when the policy or
 * the request cannot be read.
 */
export async function policiesEvaluate(options: PoliciesEvaluateOptions): Promise<void> {
  const flags = REQUEST_FLAGS.filter((f) => options[f] !== undefined);
  if (options.request !== undefined && flags.length > 0) {
    throw new UsageError(
      `--request donne la demande entière : retirez ${flags.map((f) => FLAG_NAMES[f]).join(', ')}, ou décrivez la demande avec les options seules.`,
    );
  }
  if (options.request === undefined && options.action === undefined) {
    throw new UsageError('Décrivez la demande : --action (par exemple cf:queryAggregate ou use), ou un fichier --request.');
  }

  const json = await readJson(options.policy, 'la politique');
  const request =
    options.request !== undefined ? parseRequest(await readJson(options.request, 'la demande'), options.request) : fromFlags(options);
  const read = readPolicy(json, { vocabulary: 'open' });
  if (!read.ok) {
    printIssues(read.issues);
    throw new CliError(
      `Politique ODRL invalide (${plural(read.issues.length, 'problème')}) : corrigez ${options.policy} aux chemins indiqués.`,
      { code: 'invalid_policy' },
    );
  }
  const decision = evaluatePolicy(read.policy, request, { pendingDuties: options.pendingDuties ?? 'block' });
  if (options.json) printJson(decision);
  else printDecision(decision);
  exitWithOutcome(decision);
}

/** The request the flags describe; without --now, the current time (the evaluator itself reads no clock). */
export function fromFlags(options: PoliciesEvaluateOptions): EvaluationRequest {
  const context: Record<string, Scalar | Scalar[]> = {};
  const add = (key: string, value: Scalar) => {
    const k = term(key);
    const previous = context[k];
    context[k] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
  };
  for (const [key, value] of options.context ?? []) add(key, value);
  if (options.purpose !== undefined) add('purpose', options.purpose);
  if (options.partyType !== undefined) add('cf:partyType', options.partyType);
  if (options.duration !== undefined) add('elapsedTime', options.duration);
  return {
    action: options.action!,
    ...(options.target !== undefined ? { target: options.target } : {}),
    ...(options.assignee !== undefined ? { assignee: options.assignee } : {}),
    context,
    state: { now: options.now ?? new Date().toISOString() },
  };
}

const isScalar = (v: unknown): v is Scalar => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An `EvaluationRequest` read from a file, refused with the path of the first thing that is not one. */
export function parseRequest(value: unknown, file: string): EvaluationRequest {
  const problems: string[] = [];
  const problem = (path: string, message: string) => problems.push(`${path} — ${message}`);
  if (!isRecord(value)) problem('(racine)', 'un objet JSON est attendu');
  else {
    if (typeof value.action !== 'string' || value.action === '') problem('action', 'l’action demandée est attendue (par exemple "use")');
    for (const key of ['target', 'assignee'] as const) {
      if (value[key] !== undefined && typeof value[key] !== 'string') problem(key, 'une IRI (texte) est attendue');
    }
    if (value.context !== undefined) {
      if (!isRecord(value.context)) problem('context', 'un objet { opérande gauche: valeur } est attendu');
      else
        for (const [k, v] of Object.entries(value.context)) {
          if (!isScalar(v) && !(Array.isArray(v) && v.every(isScalar)))
            problem(`context.${k}`, 'un texte, un nombre, un booléen ou une liste de ceux-ci est attendu');
        }
    }
    if (value.state !== undefined) {
      if (!isRecord(value.state)) problem('state', 'un objet { now, partOf, duties } est attendu');
      else {
        const { now, partOf, duties } = value.state;
        if (now !== undefined && (typeof now !== 'string' || Number.isNaN(Date.parse(now))))
          problem('state.now', 'une date ISO 8601 est attendue (par exemple "2026-11-28T10:00:00Z")');
        if (
          partOf !== undefined &&
          !(isRecord(partOf) && Object.values(partOf).every((l) => Array.isArray(l) && l.every((x) => typeof x === 'string')))
        )
          problem('state.partOf', 'un objet { IRI: [collections] } est attendu');
        if (duties !== undefined && !(isRecord(duties) && Object.values(duties).every((d) => d === 'fulfilled' || d === 'violated')))
          problem('state.duties', 'un objet { obligation: "fulfilled" | "violated" } est attendu');
      }
    }
  }
  if (problems.length > 0) throw new CliError(`Demande invalide dans ${file} : ${problems.join(' ; ')}.`, { code: 'invalid_request' });
  return value as unknown as EvaluationRequest;
}
