import { describe, expect, it } from 'vitest';
import { base64Decode, base64Encode, concatBytes, hexEncode, utf8Encode } from './encoding';
import { TlogError, type TlogErrorCode } from './errors';
import {
  cosignatureMessage,
  formatCheckpoint,
  formatCosignatureLine,
  formatKeyId,
  formatNote,
  formatSignatureLine,
  formatVerifierKey,
  keyId,
  noteSigningInput,
  parseCheckpoint,
  parseCosignature,
  parseNote,
  parseVerifierKey,
  signNote,
  SIGNATURE_TYPE_COSIGNATURE_V1,
  SIGNATURE_TYPE_ED25519,
  verifyCheckpoint,
  verifyCosignature,
  verifyNote,
} from './note';
import { ed25519FromSeed, generateEd25519, nodeCrypto, sha, sha256Sync } from './test-support';

async function codeOf(run: () => unknown): Promise<TlogErrorCode | 'no error'> {
  try {
    await run();
    return 'no error';
  } catch (error) {
    expect(error).toBeInstanceOf(TlogError);
    return (error as TlogError).code;
  }
}

/**
 * Published vectors of Go's golang.org/x/mod/sumdb/note (note.go package documentation and
 * note_test.go, github.com/golang/mod, BSD-3-Clause), values only.
 */
const GO = {
  peterKey: 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
  peterSigner: 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz',
  enochKey: 'EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop',
  text: "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n",
  peterSig: '— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n',
  enochSig: '— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n',
};

/** Examples of the C2SP specifications (github.com/C2SP/C2SP, signed-note.md and tlog-cosignature.md, CC-BY 4.0). */
const C2SP = {
  fooKey: 'example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k',
  fooNote:
    'This is an example message.\n\n— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n',
  checkpoint: 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n',
  cosignatureLine:
    '— witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==',
};

describe('key IDs and verifier keys', () => {
  it('computes the key ID as SHA-256(name ‖ 0x0A ‖ type ‖ key)[:4], checked by hand', async () => {
    const key = generateEd25519();
    const name = 'confiance.example/ledger';
    const byHand = sha256Sync(Buffer.concat([Buffer.from(name, 'utf8'), Buffer.of(0x0a, 0x01), key.publicKey])).readUInt32BE(0);
    expect(await keyId(sha, name, SIGNATURE_TYPE_ED25519, key.publicKey)).toBe(byHand);
  });

  it("parses Go's PeterNeumann key: key ID c74f20a3 is the hash of its name and key", async () => {
    const key = await parseVerifierKey(sha, GO.peterKey);
    expect(key.name).toBe('PeterNeumann');
    expect(formatKeyId(key.keyId)).toBe('c74f20a3');
    expect(key.type).toBe(SIGNATURE_TYPE_ED25519);
    expect(await keyId(sha, key.name, key.type, key.publicKey)).toBe(0xc74f20a3);
    expect(await formatVerifierKey(sha, key.name, key.type, key.publicKey)).toBe(GO.peterKey);
  });

  it('formats a key exactly as Go prints it (name+%08x+base64(type ‖ key))', async () => {
    const key = generateEd25519();
    const vkey = await formatVerifierKey(sha, 'witness.example/w1', SIGNATURE_TYPE_COSIGNATURE_V1, key.publicKey);
    const id = sha256Sync(Buffer.concat([Buffer.from('witness.example/w1\n'), Buffer.of(4), key.publicKey])).subarray(0, 4);
    expect(vkey).toBe(`witness.example/w1+${hexEncode(id)}+${base64Encode(concatBytes(Uint8Array.of(4), key.publicKey))}`);
    expect((await parseVerifierKey(sha, vkey)).type).toBe(SIGNATURE_TYPE_COSIGNATURE_V1);
  });

  it('rejects every truncation and every single-character change of a key (as Go’s TestNewVerifier)', async () => {
    const accepted: string[] = [];
    const bytes = [...GO.peterKey];
    for (let i = 0; i <= bytes.length; i++) {
      for (let j = i + 1; j <= bytes.length; j++) {
        if (i === 0 && j === bytes.length) continue;
        const candidate = bytes.slice(i, j).join('');
        if ((await codeOf(() => parseVerifierKey(sha, candidate))) === 'no error') accepted.push(candidate);
      }
    }
    for (let i = 0; i < bytes.length; i++) {
      const changed = [...bytes];
      changed[i] = String.fromCharCode(changed[i]!.charCodeAt(0) + 1);
      const candidate = changed.join('');
      if ((await codeOf(() => parseVerifierKey(sha, candidate))) === 'no error') accepted.push(candidate);
    }
    expect(accepted).toEqual([]);
  });

  it('says why a key is refused', async () => {
    // Go's own cases: a key of the wrong length and an unknown algorithm, both with a matching key ID.
    expect(await codeOf(() => parseVerifierKey(sha, 'PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=='))).toBe(
      'malformed_verifier_key',
    );
    expect(await codeOf(() => parseVerifierKey(sha, 'PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW'))).toBe(
      'unknown_algorithm',
    );
    expect(await codeOf(() => parseVerifierKey(sha, GO.peterKey.replace('c74f20a3', 'c74f20a4')))).toBe('key_id_mismatch');
    expect(await codeOf(() => parseVerifierKey(sha, GO.peterKey.replace('PeterNeumann', 'Peter Neumann')))).toBe('malformed_verifier_key');
  });
});

describe('signed notes', () => {
  it("reproduces Go's signature byte for byte from the PeterNeumann private key (Ed25519 is deterministic)", async () => {
    const raw = base64Decode(GO.peterSigner.split('+').slice(4).join('+'));
    expect(raw[0]).toBe(SIGNATURE_TYPE_ED25519);
    const signer = ed25519FromSeed(raw.subarray(1));
    const note = await signNote(GO.text, [{ name: 'PeterNeumann', keyId: 0xc74f20a3, sign: signer.sign }]);
    expect(note).toBe(`${GO.text}\n${GO.peterSig}`);
  });

  it('opens a note with one known and one unknown signer', async () => {
    const peter = await parseVerifierKey(sha, GO.peterKey);
    const note = await verifyNote(nodeCrypto, GO.text + '\n' + GO.peterSig + GO.enochSig, [peter]);
    expect(note.body).toBe(GO.text);
    expect(note.verified.map((s) => [s.name, formatKeyId(s.keyId)])).toEqual([['PeterNeumann', 'c74f20a3']]);
    expect(note.unverified.map((s) => [s.name, formatKeyId(s.keyId)])).toEqual([['EnochRoot', 'af0cfe78']]);
  });

  it('verifies both signatures when both keys are known (keys may be given as strings)', async () => {
    const note = await verifyNote(nodeCrypto, GO.text + '\n' + GO.peterSig + GO.enochSig, [GO.peterKey, GO.enochKey]);
    expect(note.verified.map((s) => s.name)).toEqual(['PeterNeumann', 'EnochRoot']);
    expect(note.unverified).toEqual([]);
  });

  it('verifies the C2SP signed-note example', async () => {
    const note = await verifyNote(nodeCrypto, C2SP.fooNote, [C2SP.fooKey]);
    expect(note.body).toBe('This is an example message.\n');
  });

  it('rejects a note no known key signed', async () => {
    expect(await codeOf(() => verifyNote(nodeCrypto, GO.text + '\n' + GO.peterSig + GO.enochSig, []))).toBe('unverified_note');
    // A fresh key under the same name has another key ID: its owner's signature is simply unknown.
    const impostor = await formatVerifierKey(sha, 'PeterNeumann', SIGNATURE_TYPE_ED25519, generateEd25519().publicKey);
    expect(await codeOf(() => verifyNote(nodeCrypto, GO.text + '\n' + GO.peterSig, [impostor]))).toBe('unverified_note');
  });

  it('rejects the whole note when a known key’s signature is wrong', async () => {
    const corrupted = GO.peterSig.slice(0, 60) + 'ABCD' + GO.peterSig.slice(60);
    expect(await codeOf(() => verifyNote(nodeCrypto, GO.text + '\n' + corrupted, [GO.peterKey]))).toBe('invalid_signature');
  });

  it('rejects a changed body', async () => {
    const changed = GO.text.replace('cryptography', 'cryptograpHy');
    expect(await codeOf(() => verifyNote(nodeCrypto, changed + '\n' + GO.peterSig, [GO.peterKey]))).toBe('invalid_signature');
  });

  it('keeps one copy of repeated signatures', async () => {
    const enochAbcd = GO.enochSig.slice(0, 60) + 'ABCD' + GO.enochSig.slice(60);
    const note = await verifyNote(nodeCrypto, GO.text + '\n' + GO.peterSig + GO.peterSig + GO.enochSig + GO.enochSig + enochAbcd, [
      GO.peterKey,
    ]);
    expect(note.verified).toHaveLength(1);
    expect(note.unverified).toHaveLength(2);
  });

  it('refuses two different configured keys with the same name and key ID', async () => {
    const peter = await parseVerifierKey(sha, GO.peterKey);
    const twin = { ...peter, publicKey: generateEd25519().publicKey };
    expect(await codeOf(() => verifyNote(nodeCrypto, GO.text + '\n' + GO.peterSig, [peter, twin]))).toBe('ambiguous_key');
  });

  it.each([
    ['no blank line', GO.text],
    ['no signature', GO.text + '\n'],
    ['a signature line without newline', GO.text + '\n' + GO.peterSig.slice(0, -1)],
    ['a control character', '\x01' + GO.text + '\n' + GO.peterSig],
    [
      'a name with a space',
      GO.text + '\n' + '— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n',
    ],
    ['a line that is not a signature', GO.text + '\n' + GO.peterSig + 'Unexpected line.\n'],
    ['101 signatures', GO.text + '\n' + GO.peterSig.repeat(101)],
    ['a signature without key ID', GO.text + '\n— PeterNeumann AAAA\n'],
    ['a hyphen for the em dash', GO.text + '\n' + GO.peterSig.replace('—', '-')],
  ])('rejects a note with %s', async (_, note) => {
    expect(await codeOf(() => verifyNote(nodeCrypto, note, [GO.peterKey]))).toBe('malformed_note');
  });

  it('rejects bytes that are not UTF-8', async () => {
    const bytes = concatBytes(Uint8Array.of(0xff), utf8Encode(GO.text + '\n' + GO.peterSig));
    expect(await codeOf(() => verifyNote(nodeCrypto, bytes, [GO.peterKey]))).toBe('malformed_note');
  });

  it('takes the text up to the last blank line, blank lines inside included', () => {
    const parsed = parseNote('a\n\nb\n\n— k AAAAAAA=\n');
    expect(parsed.body).toBe('a\n\nb\n');
    expect(parsed.signatures.map((s) => s.name)).toEqual(['k']);
  });

  it('round-trips a note signed with a Node key; a wrong key, body or signature is refused', async () => {
    const key = generateEd25519();
    const vkey = await formatVerifierKey(sha, 'confiance.example/ledger', SIGNATURE_TYPE_ED25519, key.publicKey);
    const { keyId: id } = await parseVerifierKey(sha, vkey);
    const body = 'confiance.example/ledger\n3\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n';
    const note = await signNote(body, [{ name: 'confiance.example/ledger', keyId: id, sign: key.sign }]);
    expect((await verifyNote(nodeCrypto, note, [vkey])).verified).toHaveLength(1);

    const other = await formatVerifierKey(sha, 'confiance.example/ledger', SIGNATURE_TYPE_ED25519, generateEd25519().publicKey);
    expect(await codeOf(() => verifyNote(nodeCrypto, note, [other]))).toBe('unverified_note');
    expect(await codeOf(() => verifyNote(nodeCrypto, note.replace('\n3\n', '\n4\n'), [vkey]))).toBe('invalid_signature');

    const sig = parseNote(note).signatures[0]!;
    const flipped = Uint8Array.from(sig.signature);
    flipped[10]! ^= 1;
    const forged = formatNote(body, [formatSignatureLine(sig.name, sig.keyId, flipped)]);
    expect(await codeOf(() => verifyNote(nodeCrypto, forged, [vkey]))).toBe('invalid_signature');
  });

  it('only signs note texts', () => {
    expect(() => noteSigningInput('no final newline')).toThrow(TlogError);
    expect(() => noteSigningInput('tab\there\n')).toThrow(TlogError);
    expect(noteSigningInput('é\n')).toEqual(Uint8Array.of(0xc3, 0xa9, 0x0a));
  });
});

describe('checkpoints', () => {
  const root = Uint8Array.from({ length: 32 }, (_, i) => i);

  it('parses the C2SP example', () => {
    const checkpoint = parseCheckpoint(C2SP.checkpoint);
    expect(checkpoint.origin).toBe('example.com/behind-the-sofa');
    expect(checkpoint.size).toBe(20852163);
    expect(base64Encode(checkpoint.root)).toBe('CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=');
    expect(checkpoint.extensions).toEqual([]);
    expect(formatCheckpoint(checkpoint)).toBe(C2SP.checkpoint);
  });

  it('formats origin, size and base64 root, then extension lines', () => {
    const body = formatCheckpoint({ origin: 'confiance.example/ledger', size: 0, root, extensions: ['ext one'] });
    expect(body).toBe(`confiance.example/ledger\n0\n${base64Encode(root)}\next one\n`);
    expect(parseCheckpoint(body)).toEqual({ origin: 'confiance.example/ledger', size: 0, root, extensions: ['ext one'] });
  });

  const r = base64Encode(root);
  it.each([
    ['no final newline', `o\n1\n${r}`],
    ['an empty origin', `\n1\n${r}\n`],
    ['a size with a leading zero', `o\n01\n${r}\n`],
    ['a signed size', `o\n+1\n${r}\n`],
    ['a size in exponent form', `o\n1e3\n${r}\n`],
    ['a size above 2^53 − 1', `o\n9007199254740992\n${r}\n`],
    ['a root of 31 bytes', `o\n1\n${base64Encode(root.subarray(1))}\n`],
    ['a root in unpadded base64', `o\n1\n${r.slice(0, -1)}\n`],
    ['a root in non-canonical base64', `o\n1\n${r.slice(0, -2)}B=\n`],
    ['a missing root', `o\n1\n`],
    ['an empty extension line', `o\n1\n${r}\n\n`],
    ['a control character', `o\r\n1\n${r}\n`],
  ])('rejects a checkpoint with %s', (_, body) => {
    expect(() => parseCheckpoint(body)).toThrow(expect.objectContaining({ code: 'malformed_checkpoint' }));
  });
});

describe('cosignatures (cosignature/v1)', () => {
  const body = formatCheckpoint({ origin: 'confiance.example/ledger', size: 42, root: new Uint8Array(32).fill(7) });

  it('signs “cosignature/v1\\ntime <t>\\n” followed by the checkpoint', () => {
    expect(new TextDecoder().decode(cosignatureMessage(C2SP.checkpoint, 1679315147))).toBe(
      'cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n',
    );
  });

  it('parses the C2SP example line: key ID, then the big-endian time the example message shows', () => {
    const cosignature = parseCosignature(C2SP.cosignatureLine);
    expect(cosignature.name).toBe('witness.example.com/w1');
    expect(formatKeyId(cosignature.keyId)).toBe('8d66cf3f');
    expect(cosignature.time).toBe(1679315147);
    expect(cosignature.signature).toHaveLength(64);
    expect(formatCosignatureLine(cosignature)).toBe(C2SP.cosignatureLine);
  });

  it('rejects lines that are not 4 + 8 + 64 bytes', () => {
    expect(() => parseCosignature('— w AAAAAAA=')).toThrow(expect.objectContaining({ code: 'malformed_cosignature' }));
    expect(() => parseCosignature(GO.peterSig)).toThrow(expect.objectContaining({ code: 'malformed_cosignature' }));
  });

  async function witness(name: string) {
    const key = generateEd25519();
    const vkey = await formatVerifierKey(sha, name, SIGNATURE_TYPE_COSIGNATURE_V1, key.publicKey);
    const parsed = await parseVerifierKey(sha, vkey);
    const cosign = async (text: string, time: number) =>
      formatCosignatureLine({ name, keyId: parsed.keyId, time, signature: await key.sign(cosignatureMessage(text, time)) });
    return { key, vkey, parsed, cosign };
  }

  it('verifies a witness’s cosignature and returns its time', async () => {
    const w = await witness('witness.example/w1');
    const line = await w.cosign(body, 1_764_000_000);
    expect((await verifyCosignature(nodeCrypto, w.vkey, body, line)).time).toBe(1_764_000_000);
    expect((await verifyCosignature(nodeCrypto, w.parsed, body, line + '\n')).name).toBe('witness.example/w1');
  });

  it('rejects a cosignature over another checkpoint, with a changed time, or from another witness', async () => {
    const w = await witness('witness.example/w1');
    const line = await w.cosign(body, 1_764_000_000);
    const otherBody = body.replace('\n42\n', '\n43\n');
    expect(await codeOf(() => verifyCosignature(nodeCrypto, w.vkey, otherBody, line))).toBe('invalid_signature');
    const parsed = parseCosignature(line);
    const retimed = formatCosignatureLine({ ...parsed, time: parsed.time + 1 });
    expect(await codeOf(() => verifyCosignature(nodeCrypto, w.vkey, body, retimed))).toBe('invalid_signature');
    const other = await witness('witness.example/w2');
    expect(await codeOf(() => verifyCosignature(nodeCrypto, other.vkey, body, line))).toBe('key_id_mismatch');
  });

  it('does not take a plain note signature by the same key for a cosignature (domain separation)', async () => {
    const w = await witness('witness.example/w1');
    const plain = await w.key.sign(utf8Encode(body));
    const line = formatCosignatureLine({ name: w.parsed.name, keyId: w.parsed.keyId, time: 0, signature: plain });
    expect(await codeOf(() => verifyCosignature(nodeCrypto, w.vkey, body, line))).toBe('invalid_signature');
  });

  it('refuses an Ed25519 note key as a witness key', async () => {
    const w = await witness('witness.example/w1');
    const line = await w.cosign(body, 1);
    const noteKey = await formatVerifierKey(sha, 'witness.example/w1', SIGNATURE_TYPE_ED25519, w.key.publicKey);
    expect(await codeOf(() => verifyCosignature(nodeCrypto, noteKey, body, line))).toBe('unknown_algorithm');
  });

  it('opens a checkpoint signed by the log and cosigned by witnesses', async () => {
    const log = generateEd25519();
    const logKey = await formatVerifierKey(sha, 'confiance.example/ledger', SIGNATURE_TYPE_ED25519, log.publicKey);
    const { keyId: logId } = await parseVerifierKey(sha, logKey);
    const w1 = await witness('witness.example/w1');
    const w2 = await witness('witness.example/w2');
    const logLine = formatSignatureLine('confiance.example/ledger', logId, await log.sign(noteSigningInput(body)));
    const note = formatNote(body, [logLine, await w1.cosign(body, 1000), await w2.cosign(body, 2000)]);

    const opened = await verifyCheckpoint(nodeCrypto, note, logKey, [w1.vkey]);
    expect(opened.checkpoint.size).toBe(42);
    expect(opened.log.name).toBe('confiance.example/ledger');
    expect(opened.witnesses.map((s) => [s.name, s.time])).toEqual([['witness.example/w1', 1000]]);
    expect(opened.unverified.map((s) => s.name)).toEqual(['witness.example/w2']);

    // Witnesses alone do not make a checkpoint: the log's own signature is required.
    const witnessedOnly = formatNote(body, [await w1.cosign(body, 1000)]);
    expect(await codeOf(() => verifyCheckpoint(nodeCrypto, witnessedOnly, logKey, [w1.vkey]))).toBe('unverified_note');
    // A witness that cosigned another tree head spoils the note.
    const forked = formatNote(body, [logLine, await w1.cosign(body.replace('\n42\n', '\n41\n'), 1000)]);
    expect(await codeOf(() => verifyCheckpoint(nodeCrypto, forked, logKey, [w1.vkey]))).toBe('invalid_signature');
  });
});
