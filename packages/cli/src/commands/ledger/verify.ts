import { base64Encode } from '@confiance/contract';
import { connect } from '../../api';
import { UsageError } from '../../errors';
import { note } from '../../output';
import { checkConsistency, checkEntry, openCheckpoint } from './evidence';
import { readJson, readText } from './files';
import { nodeKeyOrFetched, parseWitnessKeys } from './keys';
import { fetchLedgerFile, fetchLedgerText } from './remote';
import { auditTiles } from './tiles';
import { report, Verdict } from './verdict';
import { nodeCrypto } from './crypto';

export interface LedgerVerifyOptions {
  checkpoint?: string;
  key?: string;
  keyFile?: string;
  witness?: string[];
  entry?: string;
  proof?: string;
  entryIndex?: number;
  oldCheckpoint?: string;
  consistency?: string;
  tiles?: boolean;
  json?: boolean;
}

/** Refuses incomplete combinations before reading or fetching anything. */
function checkUsage(options: LedgerVerifyOptions): void {
  if ((options.entry === undefined) !== (options.proof === undefined)) {
    throw new UsageError('--entry et --proof vont ensemble : l’entrée (JSON de /api/v1/ledger/entries/N) et sa preuve (…/N/proof).');
  }
  if (options.entry !== undefined && options.entryIndex !== undefined) {
    throw new UsageError('--entry-index télécharge l’entrée ; avec --entry, elle est lue dans un fichier : choisissez l’un ou l’autre.');
  }
  if (options.consistency !== undefined && options.oldCheckpoint === undefined) {
    throw new UsageError('--consistency demande --old-checkpoint : le point de contrôle signé d’où part la preuve.');
  }
  if (options.checkpoint !== undefined && options.key === undefined && options.keyFile === undefined) {
    throw new UsageError(
      'Pour vérifier un point de contrôle enregistré, donnez la clé du nœud avec --key ou --key-file (obtenue par un autre canal, ou affichée par « confiance ledger key »).',
    );
  }
}

/**
 * Verifies what it is given, from saved files (offline) or fetched from CONFIANCE_URL: the
 * checkpoint's signature, an entry's inclusion, the log's growth since an older checkpoint, the tiles.
 * Whatever is fetched is checked exactly like a file would be: the node is never trusted for a root.
 */
export async function ledgerVerify(options: LedgerVerifyOptions): Promise<void> {
  checkUsage(options);
  const witnesses = await parseWitnessKeys(options.witness);
  const online = options.checkpoint === undefined;
  const nodeKey = await nodeKeyOrFetched(options);
  const text = online ? await fetchLedgerText('/ledger/checkpoint') : await readText(options.checkpoint!, 'le point de contrôle');
  const entryFiles =
    options.entry !== undefined ? [await readJson(options.entry, 'l’entrée'), await readJson(options.proof!, 'la preuve')] : undefined;
  const consistencyFile = options.consistency !== undefined ? await readJson(options.consistency, 'la preuve de cohérence') : undefined;
  const oldText = options.oldCheckpoint !== undefined ? await readText(options.oldCheckpoint, 'l’ancien point de contrôle') : undefined;

  const verdict = new Verdict();
  const opened = await openCheckpoint(verdict, text, nodeKey, { witnesses });
  if (!opened) {
    report(verdict, { json: options.json });
    return;
  }
  const checkpoint = opened.checkpoint;

  if (entryFiles) await checkEntry(verdict, entryFiles[0], entryFiles[1], checkpoint);
  else if (options.entryIndex !== undefined) {
    const { client } = await connect();
    const index = options.entryIndex;
    // The entry with the caller's token: a party to it also gets its details and can check the commitment.
    const entry = await client.ledger.entry(index);
    const proof = await client.ledger.proof(index, checkpoint.size);
    await checkEntry(verdict, entry, proof, checkpoint);
  }

  if (oldText !== undefined) {
    const old = await openCheckpoint(verdict, oldText, nodeKey, {
      label: 'Signature de l’ancien point de contrôle',
      check: 'consistency.old_checkpoint',
    });
    if (old) {
      let proof = consistencyFile;
      if (proof === undefined && old.checkpoint.size > 0 && old.checkpoint.size <= checkpoint.size) {
        const { client } = await connect();
        proof = await client.ledger.consistency(old.checkpoint.size, checkpoint.size);
      }
      await checkConsistency(verdict, proof, old.checkpoint, checkpoint);
    }
  }

  if (options.tiles) {
    if (!online) note('--tiles : les tuiles sont téléchargées depuis CONFIANCE_URL.');
    await auditTiles(verdict, nodeCrypto.sha256, checkpoint, (path) => fetchLedgerFile(`/ledger/${path}`));
  }

  report(verdict, {
    json: options.json,
    extra: {
      checkpoint: { origin: checkpoint.origin, size: checkpoint.size, root: base64Encode(checkpoint.root) },
      verifierKey: nodeKey.text,
      keySource: nodeKey.source,
    },
  });
}
