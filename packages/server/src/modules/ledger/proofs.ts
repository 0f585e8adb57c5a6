import {
  consistencyProof,
  consistencyProofRanges,
  inclusionProof,
  inclusionProofRanges,
  isTlogError,
  nodesOfRanges,
  rootOf,
  subtreeNodes,
  type ConsistencyProofView,
  type InclusionProofView,
  type NodeId,
} from '@confiance/contract';
import type { Executor } from '../../platform/context';
import { AppError } from '../../platform/http/errors';
import { nodeCrypto } from './crypto';
import { latestCheckpoint } from './integrate';
import { checkpointAt, nodeLookup, nodesAndRoot } from './repository';

/**
 * Proofs from the stored complete subtrees: the nodes a proof needs are known from the sizes
 * alone, so they are fetched in one query and the shared prover (`contract/tlog`) combines them.
 */

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

async function readerFor(db: Executor, nodes: readonly NodeId[]) {
  return reader(await nodeLookup(db, nodes));
}

function reader(found: Map<string, Buffer>) {
  return (level: number, index: number) => {
    const hash = found.get(`${level}/${index}`);
    if (!hash) return Promise.reject(new Error(`ledger: node ${level}/${index} missing`));
    return Promise.resolve(hash);
  };
}

/** The root of the tree of `size`: the signed one when a checkpoint has that size, else computed from stored nodes. */
async function rootAt(db: Executor, size: number): Promise<Buffer> {
  const checkpoint = await checkpointAt(db, size);
  if (checkpoint) return checkpoint.root;
  const latest = await latestCheckpoint(db);
  if (!latest || size > latest.size) throw new AppError('not_found', `Le registre n’a pas (encore) ${size} entrées signées.`);
  const read = await readerFor(db, subtreeNodes(0, size));
  return Buffer.from(await rootOf(nodeCrypto.sha256, size, read));
}

export async function inclusionProofFor(db: Executor, index: number, treeSize: number): Promise<InclusionProofView> {
  if (index >= treeSize) throw new AppError('not_found', `L’entrée ${index} n’est pas dans l’arbre de taille ${treeSize}.`);
  const ranges = inclusionProofRanges(index, treeSize);
  const stored = await nodesAndRoot(db, [...nodesOfRanges(ranges), { level: 0, index }], treeSize);
  const root = stored.root ?? (await rootAt(db, treeSize));
  const read = reader(stored.nodes);
  const [proof, leaf] = await Promise.all([inclusionProof(nodeCrypto.sha256, index, treeSize, read), read(0, index)]);
  return { index, treeSize, leafHash: b64(leaf), proof: proof.map(b64), root: root.toString('base64') };
}

export async function consistencyProofFor(db: Executor, size1: number, size2: number): Promise<ConsistencyProofView> {
  if (size1 > size2) throw new AppError('validation_failed', `La taille de départ (${size1}) dépasse celle d’arrivée (${size2}).`);
  const [root1, root2] = await Promise.all([rootAt(db, size1), rootAt(db, size2)]);
  try {
    const read = await readerFor(db, nodesOfRanges(consistencyProofRanges(size1, size2)));
    const proof = await consistencyProof(nodeCrypto.sha256, size1, size2, read);
    return { size1, size2, root1: root1.toString('base64'), root2: root2.toString('base64'), proof: proof.map(b64) };
  } catch (error) {
    if (isTlogError(error)) throw new AppError('validation_failed', `Pas de preuve de cohérence de ${size1} à ${size2} : ${error.message}`);
    throw error;
  }
}
