import fs from 'node:fs/promises';
import path from 'node:path';
import { base64Encode } from '@confiance/contract';
import { UsageError } from '../../errors';
import { note, print, printRaw } from '../../output';
import { openCheckpoint } from './evidence';
import { exists } from './files';
import { fetchNodeKey, givenNodeKey, parseWitnessKeys, TOFU_WARNING } from './keys';
import { fetchLedgerText } from './remote';
import { report, Verdict } from './verdict';

export interface LedgerCheckpointOptions {
  output?: string;
  key?: string;
  keyFile?: string;
  witness?: string[];
  force?: boolean;
  json?: boolean;
}

/** Fetches the latest signed checkpoint, saves or prints it exactly as served, and checks its signature. */
export async function ledgerCheckpoint(options: LedgerCheckpointOptions): Promise<void> {
  const witnesses = await parseWitnessKeys(options.witness);
  const given = await givenNodeKey(options);
  const file = options.output === undefined ? undefined : path.resolve(options.output);
  // An older checkpoint is what later proves the log only grew: never overwrite one by accident.
  if (file && !options.force && (await exists(file))) {
    throw new UsageError(`${file} existe déjà : ajoutez --force pour le remplacer, ou gardez-le pour « ledger verify --old-checkpoint ».`);
  }
  const text = await fetchLedgerText('/ledger/checkpoint');
  const nodeKey = given ?? (await fetchNodeKey());
  if (!given) note(TOFU_WARNING);
  if (file) await fs.writeFile(file, text);

  const verdict = new Verdict();
  const opened = await openCheckpoint(verdict, text, nodeKey, { witnesses });
  if (options.json) {
    report(verdict, {
      json: true,
      extra: {
        note: text,
        ...(file ? { file } : {}),
        ...(opened ? { origin: opened.checkpoint.origin, size: opened.checkpoint.size, root: base64Encode(opened.checkpoint.root) } : {}),
        verifierKey: nodeKey.text,
        keySource: nodeKey.source,
      },
    });
    return;
  }
  if (file) print(`Point de contrôle enregistré : ${file}`);
  else printRaw(text);
  // Without -o, stdout carries the note alone (`confiance ledger checkpoint > point.txt`).
  report(verdict, { toStderr: !file });
}
