import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { canonicalJson } from '@confiance/contract';
import { describe, expect, it } from 'vitest';
import { verifyAgreementJws, type ContractKey } from '../src/commands/contracts/jws';

/** `contracts verify` on this machine: a JWS made as the node makes it, then altered every way that matters. */

const AGREEMENT = {
  '@context': 'http://www.w3.org/ns/odrl.jsonld',
  '@type': 'Agreement',
  uid: 'https://confiance.test/contracts/1',
  assigner: 'https://confiance.test/organisations/atmo',
  assignee: 'https://confiance.test/organisations/labo',
  target: 'https://confiance.test/datasets/qualite-air',
  permission: [{ action: 'cf:queryAggregate', duty: [{ action: 'attribute' }] }],
  prohibition: [{ action: 'cf:reidentify' }],
};

const b64 = (value: string | Buffer) => Buffer.from(value).toString('base64url');

function keyPair(kid: string): { key: ContractKey; privateKey: KeyObject } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { key: { kid, jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'EdDSA', use: 'sig' } }, privateKey };
}

function jws(privateKey: KeyObject, payload: string, header: Record<string, unknown>): string {
  const input = `${b64(JSON.stringify(header))}.${b64(payload)}`;
  return `${input}.${b64(sign(null, Buffer.from(input), privateKey))}`;
}

describe('verifyAgreementJws', () => {
  const { key, privateKey } = keyPair('cle-1');
  const header = { alg: 'EdDSA', kid: 'cle-1', typ: 'application/odrl+json' };
  const good = jws(privateKey, canonicalJson(AGREEMENT), header);

  it('accepts the canonical agreement signed by the contract key', () => {
    const result = verifyAgreementJws(good, structuredClone(AGREEMENT), key);
    expect(result).toMatchObject({ valid: true, kid: 'cle-1', signature: { ok: true }, payload: { ok: true } });
  });

  it('refuses a signature altered by one character, and says the content still matches', () => {
    const last = good.at(-2) === 'A' ? 'B' : 'A';
    const tampered = `${good.slice(0, -2)}${last}${good.at(-1)}`;
    const result = verifyAgreementJws(tampered, AGREEMENT, key);
    expect(result.valid).toBe(false);
    expect(result.signature).toMatchObject({ ok: false, reason: expect.stringMatching(/^signature invalide/) });
    expect(result.payload.ok).toBe(true);
  });

  it('refuses a payload swapped for another agreement, however well signed the original was', () => {
    const [h, , s] = good.split('.');
    const other = canonicalJson({ ...AGREEMENT, prohibition: [] });
    const result = verifyAgreementJws(`${h}.${b64(other)}.${s}`, AGREEMENT, key);
    expect(result.signature.ok).toBe(false);
    expect(result.payload).toMatchObject({ ok: false, reason: 'le contenu signé diffère de l’accord ODRL que le contrat présente' });
  });

  it('refuses a valid signature over something other than the agreement the contract shows', () => {
    const result = verifyAgreementJws(good, { ...AGREEMENT, prohibition: [] }, key);
    expect(result).toMatchObject({ valid: false, signature: { ok: true }, payload: { ok: false } });
  });

  it('refuses a payload that is the agreement but not its canonical text (a duplicated key would read two ways)', () => {
    const duplicated = `${canonicalJson(AGREEMENT).slice(0, -1)},"uid":"https://confiance.test/contracts/2"}`;
    const result = verifyAgreementJws(jws(privateKey, duplicated, header), AGREEMENT, key);
    expect(result).toMatchObject({ valid: false, signature: { ok: true }, payload: { ok: false } });
    const spaced = JSON.stringify(AGREEMENT, null, 2);
    expect(verifyAgreementJws(jws(privateKey, spaced, header), AGREEMENT, key).payload.ok).toBe(false);
  });

  it('refuses another key, another algorithm, an unknown critical extension and another document type', () => {
    const other = keyPair('cle-2');
    const byOther = jws(other.privateKey, canonicalJson(AGREEMENT), { ...header, kid: 'cle-2' });
    expect(verifyAgreementJws(byOther, AGREEMENT, key).signature.reason).toBe(
      'signé avec la clé « cle-2 », alors que la clé de contrat est « cle-1 »',
    );
    // The same kid but another key: only the signature tells.
    const impostor = jws(other.privateKey, canonicalJson(AGREEMENT), header);
    expect(verifyAgreementJws(impostor, AGREEMENT, key).signature.ok).toBe(false);
    const none = `${b64(JSON.stringify({ alg: 'none' }))}.${b64(canonicalJson(AGREEMENT))}.AA`;
    expect(verifyAgreementJws(none, AGREEMENT, key).signature.reason).toBe('algorithme « none » : seul EdDSA est accepté');
    const crit = jws(privateKey, canonicalJson(AGREEMENT), { ...header, b64: false, crit: ['b64'] });
    expect(verifyAgreementJws(crit, AGREEMENT, key).signature.ok).toBe(false);
    const typ = jws(privateKey, canonicalJson(AGREEMENT), { ...header, typ: 'JWT' });
    expect(verifyAgreementJws(typ, AGREEMENT, key).signature.ok).toBe(false);
  });

  it('reads nothing from a malformed JWS or a key that is not Ed25519', () => {
    expect(verifyAgreementJws('pas.un-jws', AGREEMENT, key)).toMatchObject({
      valid: false,
      signature: { reason: 'JWS illisible : trois parties base64url séparées par des points attendues' },
    });
    expect(verifyAgreementJws(`${b64('{')}.${b64('{}')}.AA`, AGREEMENT, key).signature.reason).toBe('en-tête du JWS illisible');
    const rsa = { kid: 'cle-1', jwk: { kty: 'RSA', n: 'AQAB', e: 'AQAB' } };
    expect(verifyAgreementJws(good, AGREEMENT, rsa).signature.reason).toMatch(/n’est pas une clé publique Ed25519/);
  });
});
