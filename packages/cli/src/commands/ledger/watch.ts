import { setTimeout as sleep } from 'node:timers/promises';
import { base64Decode, base64Encode, cosignatureMessage, formatCosignatureLine, type Checkpoint } from '@confiance/contract';
import { connect, serverUrl } from '../../api';
import { CliError, describeError, UsageError } from '../../errors';
import { formatDateTime, note, print, printJson } from '../../output';
import { checkConsistency, keyLabel, openCheckpoint } from './evidence';
import { exists, readJson, writePrivate } from './files';
import {
  assertWitnessName,
  givenNodeKey,
  loadWitnessKey,
  parseNodeKey,
  TOFU_WARNING,
  fetchNodeKey,
  type NodeKey,
  type WitnessKey,
} from './keys';
import { fetchLedgerText } from './remote';
import { EXIT_UNVERIFIED, Verdict, type Check } from './verdict';

/**
 * An independent witness. It remembers the last checkpoint it verified and accepts a new one only if
 * the node's pinned key signed it and a consistency proof shows it extends the remembered one. A
 * node that showed this witness one history and someone else another would have to fork the tree:
 * the witness then refuses, keeps its state, and says so loudly. With a witness key it cosigns each
 * checkpoint it accepted (C2SP cosignature/v1), and the node serves the cosignature with the
 * checkpoint, so readers who trust the witness need not trust the node.
 */

export interface LedgerWatchOptions {
  state: string;
  key?: string;
  keyFile?: string;
  witnessKeyFile?: string;
  name?: string;
  interval?: number;
  once?: boolean;
  json?: boolean;
}

export interface WitnessState {
  version: 1;
  /** The node watched: one state per node. */
  url: string;
  /** The node's note verifier key, pinned at the first round. */
  verifierKey: string;
  /** The witness key that cosigned (a different key file later is a mistake worth stopping for). */
  witness?: { name: string; verifierKey: string };
  /** The last checkpoint verified: the one every next checkpoint must extend. */
  checkpoint?: { origin: string; size: number; root: string; note: string; verifiedAt: string };
  /** The last checkpoint cosigned and accepted by the node. */
  cosigned?: { size: number; root: string; time: number };
}

export type RoundStatus = 'first' | 'unchanged' | 'grown' | 'behind';

export interface RoundResult {
  status: RoundStatus;
  origin: string;
  size: number;
  root: string;
  previousSize: number | null;
  cosigned: boolean;
  checks: Check[];
}

/** A fork, or any checkpoint that does not extend the remembered one: exit code 3, state untouched. */
export class ForkAlarm extends CliError {
  constructor(
    message: string,
    readonly evidence: { url: string; previous: WitnessState['checkpoint']; presented: string; checks: Check[] },
  ) {
    super(message, { exitCode: EXIT_UNVERIFIED, code: 'ledger_fork' });
  }
}

async function readState(file: string): Promise<WitnessState | undefined> {
  if (!(await exists(file))) return undefined;
  const state = (await readJson(file, 'l’état du témoin')) as Partial<WitnessState> | null;
  if (!state || state.version !== 1 || typeof state.url !== 'string' || typeof state.verifierKey !== 'string') {
    throw new CliError(`${file} n’est pas un état de témoin Confiance (version 1).`, { code: 'invalid_file' });
  }
  const c = state.checkpoint;
  if (c && (!Number.isSafeInteger(c.size) || typeof c.root !== 'string' || typeof c.origin !== 'string')) {
    throw new CliError(`${file} : point de contrôle mémorisé illisible (taille, racine, origine).`, { code: 'invalid_file' });
  }
  return state as WitnessState;
}

/** The node key: pinned in the state; on the first run, given (--key) or fetched (trust on first use). */
async function pinnedKey(options: LedgerWatchOptions, state: WitnessState | undefined): Promise<NodeKey> {
  const given = await givenNodeKey(options);
  if (state) {
    const pinned = { text: state.verifierKey, key: await parseNodeKey(state.verifierKey, options.state), source: 'given' as const };
    if (given && given.text !== pinned.text) {
      throw new UsageError(
        `La clé donnée diffère de celle épinglée dans ${options.state} (${pinned.text}). Si le nœud a vraiment changé de clé (rotation annoncée), recommencez avec un nouvel état.`,
      );
    }
    return pinned;
  }
  if (given) return given;
  note(TOFU_WARNING);
  return fetchNodeKey();
}

async function witnessKey(options: LedgerWatchOptions, state: WitnessState | undefined): Promise<WitnessKey | undefined> {
  if (options.witnessKeyFile === undefined) {
    if (options.name !== undefined) throw new UsageError('--name nomme la clé du témoin : il va avec --witness-key-file.');
    return undefined;
  }
  const name = options.name ?? state?.witness?.name;
  if (name === undefined) throw new UsageError('--witness-key-file demande --name : le nom sous lequel la clé du témoin a été créée.');
  assertWitnessName(name);
  const key = await loadWitnessKey(options.witnessKeyFile, name);
  if (state?.witness && state.witness.verifierKey !== key.verifierKey) {
    throw new UsageError(
      `Cette clé de témoin (${key.verifierKey}) n’est pas celle qui a cosigné jusqu’ici (${state.witness.verifierKey}) : vérifiez --witness-key-file et --name.`,
    );
  }
  return key;
}

function sameCheckpoint(a: { size: number; root: string } | undefined, b: Checkpoint): boolean {
  return a !== undefined && a.size === b.size && a.root === base64Encode(b.root);
}

/** One round: fetch, verify, compare with the remembered checkpoint, remember, cosign. */
export async function watchRound(
  options: LedgerWatchOptions,
  context: { url: string; nodeKey: NodeKey; witness: WitnessKey | undefined },
): Promise<RoundResult> {
  const state = await readState(options.state);
  const { url, nodeKey, witness } = context;
  const text = await fetchLedgerText('/ledger/checkpoint', url);
  const verdict = new Verdict();
  const opened = await openCheckpoint(verdict, text, nodeKey);
  const previous = state?.checkpoint;
  if (!opened) {
    throw new ForkAlarm(`le nœud présente un point de contrôle que sa clé épinglée ne valide pas (${verdict.failures[0]?.message ?? ''})`, {
      url,
      previous,
      presented: text,
      checks: verdict.checks,
    });
  }
  const current = opened.checkpoint;
  let status: RoundStatus = 'first';
  if (previous) {
    const remembered: Checkpoint = { origin: previous.origin, size: previous.size, root: base64Decode(previous.root), extensions: [] };
    const { client } = await connect();
    const proofBetween = async (from: number, to: number) => (from === 0 || from === to ? undefined : client.ledger.consistency(from, to));
    if (current.size >= previous.size) {
      await checkConsistency(verdict, await proofBetween(previous.size, current.size), remembered, current);
      status = current.size === previous.size ? 'unchanged' : 'grown';
    } else {
      // A smaller checkpoint may just be a stale replica or cache: harmless if the remembered tree extends it.
      await checkConsistency(verdict, await proofBetween(current.size, previous.size), current, remembered);
      status = 'behind';
    }
    if (!verdict.ok) {
      throw new ForkAlarm(verdict.failures[0]?.message ?? 'preuve de cohérence refusée', {
        url,
        previous,
        presented: text,
        checks: verdict.checks,
      });
    }
  }

  const next: WitnessState = {
    version: 1,
    url,
    verifierKey: nodeKey.text,
    ...(witness ? { witness: { name: witness.name, verifierKey: witness.verifierKey } } : state?.witness ? { witness: state.witness } : {}),
    ...(status === 'behind'
      ? { checkpoint: previous! }
      : {
          checkpoint: {
            origin: current.origin,
            size: current.size,
            root: base64Encode(current.root),
            note: text,
            verifiedAt: new Date().toISOString(),
          },
        }),
    ...(state?.cosigned ? { cosigned: state.cosigned } : {}),
  };
  // Remembered before cosigning: a refused cosignature does not undo what was verified.
  await writePrivate(options.state, `${JSON.stringify(next, null, 2)}\n`);

  let cosigned = false;
  if (witness && status !== 'behind' && !sameCheckpoint(next.cosigned, current)) {
    const time = Math.floor(Date.now() / 1000);
    const signature = witness.sign(cosignatureMessage(opened.body, time));
    const line = formatCosignatureLine({ name: witness.name, keyId: witness.keyId, time, signature });
    const { client } = await connect();
    await client.ledger.cosign({
      witnessKey: witness.verifierKey,
      checkpoint: opened.body,
      signature: line,
    });
    next.cosigned = { size: current.size, root: base64Encode(current.root), time };
    await writePrivate(options.state, `${JSON.stringify(next, null, 2)}\n`);
    cosigned = true;
  }
  return {
    status,
    origin: current.origin,
    size: current.size,
    root: base64Encode(current.root),
    previousSize: previous?.size ?? null,
    cosigned,
    checks: verdict.checks,
  };
}

const STATUS_TEXT: Record<RoundStatus, (r: RoundResult) => string> = {
  first: (r) => `premier point de contrôle vérifié et mémorisé (${r.size} entrées)`,
  unchanged: (r) => `inchangé (${r.size} entrées)`,
  grown: (r) => `${r.previousSize} → ${r.size} entrées, ajout seul prouvé`,
  behind: (r) =>
    `le nœud présente un point de contrôle plus ancien (${r.size} entrées), cohérent avec le mémorisé (${r.previousSize}) : ignoré`,
};

function printRound(result: RoundResult, options: LedgerWatchOptions): void {
  if (options.json) {
    if (options.once) printJson(result);
    else print(JSON.stringify({ at: new Date().toISOString(), ...result }));
    return;
  }
  const when = options.once ? '' : `[${formatDateTime(new Date().toISOString())}] `;
  print(`${when}✓ ${result.origin} : ${STATUS_TEXT[result.status](result)}, racine ${result.root}${result.cosigned ? ' ; cosigné' : ''}.`);
}

function alarm(error: ForkAlarm, options: LedgerWatchOptions): void {
  const { previous, presented, url, checks } = error.evidence;
  const lines = [
    '',
    '!!! ALERTE : BIFURCATION DU REGISTRE !!!',
    `Le nœud ${url} présente un point de contrôle incompatible avec celui que ce témoin a vérifié : ${error.message}.`,
    previous ? `  vérifié le ${formatDateTime(previous.verifiedAt)} : ${previous.size} entrées, racine ${previous.root}` : '',
    ...checks.filter((c) => !c.ok).map((c) => `  ✗ ${c.message}`),
    `L’état (${options.state}) n’a pas été modifié et rien n’a été cosigné. Gardez les deux points de contrôle signés ci-dessous :`,
    'ensemble, ils montrent que le nœud a présenté deux histoires différentes.',
    ...(previous?.note ? ['--- point de contrôle vérifié précédemment ---', previous.note.trimEnd()] : []),
    '--- point de contrôle présenté maintenant ---',
    presented.trimEnd(),
    '',
  ];
  note(lines.filter((l, i) => l !== '' || i === 0 || i === lines.length - 1).join('\n'));
  if (options.json) printJson({ status: 'fork', reason: error.message, url, previous: previous ?? null, presented, checks });
}

export async function ledgerWatch(options: LedgerWatchOptions): Promise<void> {
  const url = serverUrl();
  const state = await readState(options.state);
  if (state && state.url !== url) {
    throw new UsageError(`${options.state} est l’état du témoin de ${state.url}, pas de ${url} : un fichier d’état par nœud.`);
  }
  const context = { url, nodeKey: await pinnedKey(options, state), witness: await witnessKey(options, state) };
  if (!state && !options.json) note(`Clé du nœud épinglée : ${keyLabel(context.nodeKey.key)} (${options.state}).`);

  const stop = new AbortController();
  const onSignal = () => stop.abort();
  if (!options.once) {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  try {
    for (;;) {
      try {
        printRound(await watchRound(options, context), options);
      } catch (error) {
        if (error instanceof ForkAlarm) {
          alarm(error, options);
          throw error;
        }
        // A node briefly unreachable is no evidence of anything: a long-running witness tries again.
        if (options.once) throw error;
        note(`[${formatDateTime(new Date().toISOString())}] ${describeError(error).line} Nouvel essai dans ${options.interval ?? 30} s.`);
      }
      if (options.once) return;
      try {
        await sleep((options.interval ?? 30) * 1000, undefined, { signal: stop.signal });
      } catch {
        return; // stopped by a signal between two rounds
      }
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
