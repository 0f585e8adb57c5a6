import { createPublicKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import {
  base64Decode,
  base64Encode,
  canonicalJsonBytes,
  concatBytes,
  formatCheckpoint,
  formatVerifierKey,
  hexEncode,
  inclusionProof,
  keyId,
  leafHash,
  nodeHash,
  rootOf,
  signNote,
  SIGNATURE_TYPE_ED25519,
  type CheckpointView,
  type InclusionProofView,
  type LedgerEntryView,
} from '@confiance/contract';
import { beforeAll, describe, expect, it } from 'vitest';
import { Ed25519Unavailable, verifyCheckpointSignature, verifyEntry, webCrypto, type EntryVerdict } from './verify';

/*
 * The browser's checks run here on Node's WebCrypto (the same `crypto.subtle` API, Ed25519
 * included), against a small log built and signed with the contract's own library.
 */

const sha = webCrypto.sha256;
const ORIGIN = 'confiance.test/ledger';
const SIZE = 7;

function rawPublicKey(key: KeyObject): Uint8Array {
  const der = createPublicKey(key).export({ format: 'der', type: 'spki' });
  return new Uint8Array(der.subarray(der.length - 32));
}

async function signer(name: string) {
  const { privateKey } = generateKeyPairSync('ed25519');
  const publicKey = rawPublicKey(privateKey);
  return {
    verifierKey: await formatVerifierKey(sha, name, SIGNATURE_TYPE_ED25519, publicKey),
    note: {
      name,
      keyId: await keyId(sha, name, SIGNATURE_TYPE_ED25519, publicKey),
      sign: async (m: Uint8Array) => sign(null, m, privateKey),
    },
  };
}

async function makeEntry(index: number): Promise<LedgerEntryView> {
  const details = { by: `user-${index}`, note: 'publication initiale' };
  const salt = randomBytes(32);
  const commitment = hexEncode(await sha(concatBytes(salt, canonicalJsonBytes(details))));
  const type = 'dataset.published' as const;
  const time = new Date(Date.UTC(2026, 10, 28, 10, index)).toISOString();
  const pub = {
    dataset: `jeu-${index}`,
    publisher: 'atmo-occitanie',
    version: 1,
    accessLevel: 'members',
    licence: 'etalab-2.0',
    sha256: 'a'.repeat(64),
  };
  const leaf = canonicalJsonBytes({ type, time, public: pub, commitment });
  return {
    index,
    type,
    time,
    public: pub,
    commitment,
    leaf: base64Encode(leaf),
    leafHash: base64Encode(await leafHash(sha, leaf)),
    details,
    salt: base64Encode(salt),
    erased: false,
  };
}

let entries: LedgerEntryView[];
let checkpoint: CheckpointView;
let proofs: (index: number, treeSize: number) => Promise<InclusionProofView>;

beforeAll(async () => {
  entries = await Promise.all(Array.from({ length: SIZE + 1 }, (_, i) => makeEntry(i)));
  // Complete subtrees of the first SIZE leaves, as the server stores them; the last entry is not integrated yet.
  const levels: Uint8Array[][] = [await Promise.all(entries.slice(0, SIZE).map((e) => base64Decode(e.leafHash)))];
  while (levels[levels.length - 1]!.length > 1) {
    const below = levels[levels.length - 1]!;
    const above: Uint8Array[] = [];
    for (let i = 0; i + 1 < below.length; i += 2) above.push(await nodeHash(sha, below[i]!, below[i + 1]!));
    levels.push(above);
  }
  const readNode = (level: number, index: number) => Promise.resolve(levels[level]![index]!);
  const root = await rootOf(sha, SIZE, readNode);
  const log = await signer(ORIGIN);
  checkpoint = {
    origin: ORIGIN,
    size: SIZE,
    root: base64Encode(root),
    note: await signNote(formatCheckpoint({ origin: ORIGIN, size: SIZE, root }), [log.note]),
    verifierKey: log.verifierKey,
    cosignatures: [],
    createdAt: new Date().toISOString(),
  };
  proofs = async (index, treeSize) => ({
    index,
    treeSize,
    leafHash: entries[index]!.leafHash,
    proof: (await inclusionProof(sha, index, treeSize, readNode)).map(base64Encode),
    root: base64Encode(root),
  });
});

function failedAt(verdict: EntryVerdict) {
  return verdict.outcome === 'failed' ? { step: verdict.failed, last: verdict.steps.at(-1) } : verdict.outcome;
}

describe('verifying an entry', () => {
  it('passes every step for an untouched entry whose details the caller may see', async () => {
    for (const entry of entries.slice(0, SIZE)) {
      const verdict = await verifyEntry(entry, checkpoint, proofs);
      expect(verdict).toMatchObject({ outcome: 'verified', index: entry.index, size: SIZE });
      if (verdict.outcome !== 'verified') continue;
      expect(verdict.steps.map((s) => `${s.id}:${s.status}`)).toEqual([
        'leafHash:ok',
        'leafBytes:ok',
        'proof:ok',
        'inclusion:ok',
        'commitment:ok',
        'signature:ok',
      ]);
    }
  });

  it('says the commitment was not recomputed when the details are hidden or erased', async () => {
    const hidden = await verifyEntry({ ...entries[2]!, details: null, salt: null }, checkpoint, proofs);
    expect(hidden.outcome === 'verified' && hidden.steps.find((s) => s.id === 'commitment')).toEqual({
      id: 'commitment',
      status: 'skipped',
      why: 'hidden',
    });
    const erased = await verifyEntry({ ...entries[2]!, details: null, salt: null, erased: true }, checkpoint, proofs);
    expect(erased.outcome === 'verified' && erased.steps.find((s) => s.id === 'commitment')).toMatchObject({ why: 'erased' });
  });

  it('waits for an entry the checkpoint does not cover yet', async () => {
    expect(await verifyEntry(entries[SIZE]!, checkpoint, proofs)).toEqual({ outcome: 'pending', size: SIZE });
  });

  it('still checks inclusion in a browser without Ed25519, and says the signature was skipped', async () => {
    const noEd25519 = { ...webCrypto, verifyEd25519: () => Promise.reject(new Ed25519Unavailable()) };
    const verdict = await verifyEntry(entries[3]!, checkpoint, proofs, noEd25519);
    expect(verdict.outcome).toBe('verified');
    expect(verdict.outcome === 'verified' && verdict.steps.at(-1)).toEqual({ id: 'signature', status: 'skipped', why: 'no-ed25519' });
  });
});

describe('when the node cheats', () => {
  it('fails at the inclusion step when one byte of a proof hash is flipped', async () => {
    const tampered = async (index: number, treeSize: number) => {
      const answer = await proofs(index, treeSize);
      const first = base64Decode(answer.proof[0]!);
      first[5]! ^= 0x01;
      return { ...answer, proof: [base64Encode(first), ...answer.proof.slice(1)] };
    };
    const verdict = await verifyEntry(entries[4]!, checkpoint, tampered);
    expect(failedAt(verdict)).toEqual({ step: 'inclusion', last: { id: 'inclusion', status: 'failed', code: 'root_mismatch' } });
  });

  it('fails at the inclusion step when a proof hash is left out', async () => {
    const short = async (index: number, treeSize: number) => {
      const answer = await proofs(index, treeSize);
      return { ...answer, proof: answer.proof.slice(1) };
    };
    expect(failedAt(await verifyEntry(entries[1]!, checkpoint, short))).toMatchObject({ last: { code: 'wrong_proof_size' } });
  });

  it('fails at the leaf hash when the announced hash is not the leaf’s', async () => {
    const verdict = await verifyEntry({ ...entries[1]!, leafHash: entries[2]!.leafHash }, checkpoint, proofs);
    expect(failedAt(verdict)).toMatchObject({ step: 'leafHash' });
  });

  it('fails at the leaf content when the page shows another public part than the leaf holds', async () => {
    const shown = { ...entries[1]!, public: { ...entries[1]!.public, accessLevel: 'open' } };
    expect(failedAt(await verifyEntry(shown, checkpoint, proofs))).toMatchObject({ step: 'leafBytes' });
  });

  it('fails at the commitment when the details shown are not the committed ones', async () => {
    const shown = { ...entries[1]!, details: { by: 'someone-else', note: 'publication initiale' } };
    expect(failedAt(await verifyEntry(shown, checkpoint, proofs))).toMatchObject({ step: 'commitment' });
  });

  it('fails at the signature when the note is signed by another key than the published one', async () => {
    const other = await signer(ORIGIN);
    const verdict = await verifyEntry(entries[0]!, { ...checkpoint, verifierKey: other.verifierKey }, proofs);
    expect(failedAt(verdict)).toMatchObject({ step: 'signature' });
  });

  it('fails when the root shown beside the note is not the signed one', async () => {
    const verdict = await verifyEntry(entries[0]!, { ...checkpoint, root: base64Encode(new Uint8Array(32)) }, proofs);
    expect(failedAt(verdict)).toMatchObject({ step: 'signature', last: { code: 'checkpoint_mismatch' } });
  });

  it('reports a proof the node would not give at the proof step', async () => {
    const refusing = () => Promise.reject(new Error('HTTP 500'));
    expect(failedAt(await verifyEntry(entries[0]!, checkpoint, refusing))).toMatchObject({ step: 'proof' });
  });
});

describe('verifying the checkpoint signature', () => {
  it('accepts the node’s own note and names its key', async () => {
    expect(await verifyCheckpointSignature(checkpoint)).toMatchObject({ status: 'valid', keyName: ORIGIN });
  });

  it('rejects a note whose body was changed after signing', async () => {
    const note = checkpoint.note.replace(`\n${SIZE}\n`, `\n${SIZE + 1}\n`);
    const verdict = await verifyCheckpointSignature({ ...checkpoint, size: SIZE + 1, note });
    expect(verdict).toMatchObject({ status: 'failed', code: 'invalid_signature' });
  });

  it('says so when the browser cannot verify Ed25519', async () => {
    const noEd25519 = { ...webCrypto, verifyEd25519: () => Promise.reject(new Ed25519Unavailable()) };
    expect(await verifyCheckpointSignature(checkpoint, noEd25519)).toEqual({ status: 'unavailable' });
  });
});
