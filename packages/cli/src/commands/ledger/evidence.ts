import {
  base64Decode,
  base64Encode,
  bytesEqual,
  canonicalJsonBytes,
  concatBytes,
  consistencyProofSchema,
  formatKeyId,
  hexEncode,
  inclusionProofSchema,
  leafHash,
  ledgerEntrySchema,
  parseNote,
  TlogError,
  verifyCheckpoint,
  verifyConsistency,
  verifyCosignature,
  verifyInclusion,
  type Checkpoint,
  type InclusionProofView,
  type LedgerEntryView,
  type VerifiedCheckpoint,
  type VerifierKey,
} from '@confiance/contract';
import { formatDateTime } from '../../output';
import { nodeCrypto } from './crypto';
import type { NodeKey } from './keys';
import { CliError } from '../../errors';
import { mismatch, type Verdict } from './verdict';

/**
 * The checks themselves, on evidence however it was obtained (saved files or the node's answers):
 * each adds what it proved, or what failed, to the verdict. Nothing here trusts a hash or a root
 * the evidence states about itself; roots come from signed checkpoints, leaf hashes from leaf bytes.
 */

const sha = nodeCrypto.sha256;

export function keyLabel(key: VerifierKey): string {
  return `${key.name}+${formatKeyId(key.keyId)}`;
}

const sizeLabel = (size: number) => `${size} entrée${size > 1 ? 's' : ''}`;

/** Checks the node's signature on a checkpoint note (and the cosignatures of the witnesses asked for). */
export async function openCheckpoint(
  verdict: Verdict,
  note: string,
  nodeKey: NodeKey,
  options: { witnesses?: readonly VerifierKey[]; label?: string; check?: 'checkpoint.signature' | 'consistency.old_checkpoint' } = {},
): Promise<VerifiedCheckpoint | undefined> {
  const label = options.label ?? 'Signature du point de contrôle';
  const check = options.check ?? 'checkpoint.signature';
  const opened = await verdict.attempt(
    check,
    label,
    () => verifyCheckpoint(nodeCrypto, note, nodeKey.key),
    ({ checkpoint: c }) =>
      `valide — ${c.origin}, ${sizeLabel(c.size)}, racine ${base64Encode(c.root)}, clé ${keyLabel(nodeKey.key)}${nodeKey.source === 'fetched' ? ' (téléchargée du nœud)' : ''}`,
  );
  if (!opened) return undefined;
  // The log signs with a key named after its origin: a checkpoint of another origin signed by this
  // key would be the key vouching for a log it does not name.
  if (opened.checkpoint.origin !== nodeKey.key.name) {
    verdict.fail(check, label, `origine « ${opened.checkpoint.origin} » différente du nom de la clé « ${nodeKey.key.name} »`);
    return undefined;
  }
  for (const witness of options.witnesses ?? []) {
    const name = `Cosignature du témoin ${keyLabel(witness)}`;
    const line = parseNote(note).signatures.find((s) => s.name === witness.name && s.keyId === witness.keyId)?.line;
    if (!line) {
      verdict.fail('checkpoint.cosignature', name, 'absente de ce point de contrôle');
      continue;
    }
    await verdict.attempt(
      'checkpoint.cosignature',
      name,
      () => verifyCosignature(nodeCrypto, witness, opened.body, line),
      (c) => `valide, signée le ${formatDateTime(new Date(c.time * 1000).toISOString())}`,
    );
  }
  const others = opened.unverified.map((s) => s.name);
  if (others.length && !options.witnesses?.length) {
    verdict.notes.push(
      `Cosignature${others.length > 1 ? 's' : ''} de ${others.join(', ')} présente${others.length > 1 ? 's' : ''} mais non vérifiée${others.length > 1 ? 's' : ''} : passez la clé du témoin avec --witness.`,
    );
  }
  return opened;
}

/** A file's JSON against the shape the API documents, or a failed check naming what is wrong. */
interface Schema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
}

function shaped<T>(schema: Schema<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CliError(`${what} : ${issue ? `${issue.path.map(String).join('.') || 'racine'} — ${issue.message}` : 'forme inattendue'}`, {
      code: 'invalid_file',
    });
  }
  return parsed.data;
}

/**
 * An entry and its inclusion proof against a verified checkpoint: the leaf bytes hash to the leaf
 * hash, the fields shown are those of the leaf, the private details (when shown) are those the
 * commitment binds, and the proof leads from the leaf to the signed root.
 */
export async function checkEntry(verdict: Verdict, entryJson: unknown, proofJson: unknown, checkpoint: Checkpoint): Promise<void> {
  let entry: LedgerEntryView;
  let proof: InclusionProofView;
  try {
    entry = shaped(ledgerEntrySchema, entryJson, 'entrée');
    proof = shaped(inclusionProofSchema, proofJson, 'preuve d’inclusion');
  } catch (error) {
    verdict.fail('entry.format', 'Entrée et preuve', (error as Error).message, 'invalid_file');
    return;
  }
  const label = `Entrée ${entry.index}`;
  const computed = await verdict.attempt(
    'entry.leaf_hash',
    `${label} : empreinte de la feuille`,
    async () => {
      const hash = await leafHash(sha, base64Decode(entry.leaf));
      if (base64Encode(hash) !== entry.leafHash)
        throw mismatch(`la feuille donne ${base64Encode(hash)}, l’entrée annonce ${entry.leafHash}`);
      if (base64Encode(hash) !== proof.leafHash)
        throw mismatch(`la feuille donne ${base64Encode(hash)}, la preuve annonce ${proof.leafHash}`);
      return hash;
    },
    (hash) => `SHA-256(0x00 ‖ feuille) = ${base64Encode(hash)}`,
  );
  await verdict.attempt(
    'entry.leaf',
    `${label} : contenu`,
    async () => {
      const rebuilt = canonicalJsonBytes({ type: entry.type, time: entry.time, public: entry.public, commitment: entry.commitment });
      if (!bytesEqual(rebuilt, base64Decode(entry.leaf))) {
        throw mismatch('type, date, partie publique ou engagement diffèrent des octets de la feuille');
      }
    },
    () => `${entry.type} du ${formatDateTime(entry.time)}, identique aux octets de la feuille (JSON canonique)`,
  );
  if (entry.erased) verdict.notes.push(`${label} : détails effacés ; la feuille, elle, reste vérifiable.`);
  else if (entry.details && entry.salt) {
    const { details, salt } = entry;
    await verdict.attempt(
      'entry.commitment',
      `${label} : détails privés`,
      async () => {
        const commitment = hexEncode(await sha(concatBytes(base64Decode(salt), canonicalJsonBytes(details))));
        if (commitment !== entry.commitment) throw mismatch('SHA-256(sel ‖ détails) ne donne pas l’engagement de la feuille');
      },
      () => 'conformes à l’engagement de la feuille',
    );
  } else verdict.notes.push(`${label} : détails privés non communiqués à ce compte (l’engagement n’est pas vérifié).`);

  const inclusion = `${label} : preuve d’inclusion`;
  if (proof.index !== entry.index) {
    verdict.fail('entry.inclusion', inclusion, `la preuve concerne l’entrée ${proof.index}`);
    return;
  }
  if (proof.treeSize !== checkpoint.size) {
    verdict.fail(
      'entry.inclusion',
      inclusion,
      `preuve pour un arbre de ${sizeLabel(proof.treeSize)}, le point de contrôle en compte ${checkpoint.size} : redemandez-la avec ?treeSize=${checkpoint.size}`,
    );
    return;
  }
  // The leaf hash recomputed from the bytes, never the one the proof states.
  const leaf = computed ?? base64Decode(proof.leafHash);
  await verdict.attempt(
    'entry.inclusion',
    inclusion,
    () => verifyInclusion(sha, entry.index, checkpoint.size, leaf, proof.proof.map(base64Decode), checkpoint.root),
    () => `${proof.proof.length} empreinte${proof.proof.length > 1 ? 's' : ''} jusqu’à la racine signée (${sizeLabel(checkpoint.size)})`,
  );
}

/** A consistency proof between two verified checkpoints: the newer tree extends the older one. */
export async function checkConsistency(verdict: Verdict, proofJson: unknown, older: Checkpoint, newer: Checkpoint): Promise<boolean> {
  const label = `Ajout seul entre ${sizeLabel(older.size)} et ${sizeLabel(newer.size)}`;
  const result = await verdict.attempt(
    'consistency.proof',
    label,
    async () => {
      if (older.origin !== newer.origin)
        throw new TlogError('invalid_tree_sizes', `deux journaux différents (${older.origin}, ${newer.origin})`);
      if (older.size > newer.size) {
        throw new TlogError(
          'invalid_tree_sizes',
          `l’ancien point de contrôle (${older.size}) est plus grand que le nouveau (${newer.size}) : le registre aurait rétréci`,
        );
      }
      if (older.size === newer.size) {
        if (!bytesEqual(older.root, newer.root)) throw mismatch(`deux racines différentes pour la même taille ${older.size}`);
        return 0;
      }
      // The empty tree is a prefix of every tree (and RFC 9162 has no proof from it).
      if (older.size === 0) return 0;
      const proof = shaped(consistencyProofSchema, proofJson, 'preuve de cohérence');
      if (proof.size1 !== older.size || proof.size2 !== newer.size) {
        throw new TlogError('invalid_tree_sizes', `preuve de ${proof.size1} à ${proof.size2}, attendue de ${older.size} à ${newer.size}`);
      }
      // The roots come from the two signed checkpoints, never from the proof's own root1/root2.
      await verifyConsistency(sha, older.size, newer.size, older.root, newer.root, proof.proof.map(base64Decode));
      return proof.proof.length;
    },
    (n) => (older.size === newer.size ? 'même taille, même racine' : `preuve de cohérence valide (${n} empreinte${n > 1 ? 's' : ''})`),
  );
  return result !== undefined;
}
