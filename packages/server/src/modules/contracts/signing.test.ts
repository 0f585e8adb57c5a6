import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, verify as verifySignature } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { CompactSign, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '@confiance/contract';
import { ConfigError, loadConfig } from '../../platform/config';
import { loadOrCreateSigner } from '../ledger/keys';
import { CONTRACT_JWS_TYPE, type ContractSigner, loadContractSigner } from './signing';

const agreement = {
  '@context': 'http://www.w3.org/ns/odrl.jsonld',
  '@type': 'Agreement',
  uid: 'https://confiance.test/contrats/42',
  assigner: 'https://confiance.test/organisations/atmo-occitanie',
  assignee: 'https://confiance.test/organisations/chu-toulouse',
  permission: [{ target: 'https://confiance.test/jeux/qualite-air', action: 'use' }],
  note: 'qualité de l’air « 2024 »',
};

let dir: string;
let signer: ContractSigner;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'confiance-contract-key-'));
  signer = await loadContractSigner(path.join(dir, 'keys', 'contract-jws.pem'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const b64url = (text: string) => Buffer.from(text).toString('base64url');
const parts = (jws: string) => jws.split('.') as [string, string, string];

describe('a contract JWS', () => {
  it('verifies and gives back the payload it was made from', async () => {
    const jws = await signer.sign(agreement);
    expect(await signer.verify(jws)).toEqual(agreement);
  });

  it('is EdDSA with the key id and the ODRL type in its protected header', async () => {
    const header = decodeProtectedHeader(await signer.sign(agreement));
    expect(header).toEqual({ alg: 'EdDSA', kid: signer.kid, typ: 'application/odrl+json' });
  });

  it('signs the RFC 8785 canonical JSON, whatever the key order of the object', async () => {
    const reordered = Object.fromEntries(Object.entries(agreement).reverse());
    const jws = await signer.sign(reordered);
    expect(Buffer.from(parts(jws)[1], 'base64url').toString('utf8')).toBe(canonicalJson(agreement));
    expect(jws).toBe(await signer.sign(agreement));
  });

  it('is an ordinary Ed25519 signature anyone can check with the published JWK', async () => {
    const [header, payload, signature] = parts(await signer.sign(agreement));
    const { jwk } = signer.publicJwk();
    const key = createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x } as never, format: 'jwk' });
    expect(verifySignature(null, Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, 'base64url'))).toBe(true);
  });

  describe('when it was altered', () => {
    it('is refused if the payload changed', async () => {
      const [header, , signature] = parts(await signer.sign(agreement));
      const forged = b64url(canonicalJson({ ...agreement, assignee: 'https://confiance.test/organisations/intrus' }));
      await expect(signer.verify(`${header}.${forged}.${signature}`)).rejects.toThrow(/signature de contrat invalide/);
    });

    it('is refused if one bit of the signature changed', async () => {
      const [header, payload, signature] = parts(await signer.sign(agreement));
      const bytes = Buffer.from(signature, 'base64url');
      bytes[10] = bytes[10]! ^ 0x01;
      await expect(signer.verify(`${header}.${payload}.${bytes.toString('base64url')}`)).rejects.toThrow(/signature de contrat invalide/);
    });

    it('is refused if the header names another algorithm', async () => {
      const [, payload, signature] = parts(await signer.sign(agreement));
      for (const alg of ['none', 'HS256']) {
        const header = b64url(JSON.stringify({ alg, kid: signer.kid, typ: CONTRACT_JWS_TYPE }));
        await expect(signer.verify(`${header}.${payload}.${signature}`)).rejects.toThrow();
      }
    });

    it('is refused if it is not a compact JWS at all', async () => {
      await expect(signer.verify('pas.un.jws')).rejects.toThrow();
      await expect(signer.verify('')).rejects.toThrow();
    });
  });

  describe('when it was signed by another key', () => {
    it('is refused, even under this key’s kid', async () => {
      const { privateKey } = generateKeyPairSync('ed25519');
      const other = await new CompactSign(new TextEncoder().encode(canonicalJson(agreement)))
        .setProtectedHeader({ alg: 'EdDSA', kid: signer.kid, typ: CONTRACT_JWS_TYPE })
        .sign(privateKey);
      await expect(signer.verify(other)).rejects.toThrow(/signature de contrat invalide/);
    });

    it('is refused when another node’s contract key made it', async () => {
      const otherNode = await loadContractSigner(path.join(dir, 'autre-noeud', 'contract-jws.pem'));
      expect(otherNode.kid).not.toBe(signer.kid);
      await expect(signer.verify(await otherNode.sign(agreement))).rejects.toThrow();
    });
  });

  describe('when this key signed something that is not a canonical contract JWS', () => {
    // Hand-made with the node's own private key, as a bug or a confused caller could.
    async function signedByThisKey(header: Record<string, unknown>, payloadText: string): Promise<string> {
      const privateKey = createPrivateKey(await fs.readFile(path.join(dir, 'keys', 'contract-jws.pem'), 'utf8'));
      return new CompactSign(new TextEncoder().encode(payloadText)).setProtectedHeader({ alg: 'EdDSA', ...header }).sign(privateKey);
    }

    it('refuses another kid or another type', async () => {
      const text = canonicalJson(agreement);
      await expect(signer.verify(await signedByThisKey({ kid: 'autre', typ: CONTRACT_JWS_TYPE }, text))).rejects.toThrow(/autre clé/);
      await expect(signer.verify(await signedByThisKey({ kid: signer.kid, typ: 'JWT' }, text))).rejects.toThrow(/type de signature/);
      await expect(signer.verify(await signedByThisKey({ kid: signer.kid }, text))).rejects.toThrow(/type de signature/);
    });

    it('refuses a payload that is not canonical JSON (a duplicated key could be read two ways)', async () => {
      const header = { kid: signer.kid, typ: CONTRACT_JWS_TYPE };
      await expect(signer.verify(await signedByThisKey(header, '{"uid":"a","uid":"b"}'))).rejects.toThrow(/canonique/);
      await expect(signer.verify(await signedByThisKey(header, JSON.stringify(agreement, null, 2)))).rejects.toThrow(/canonique/);
      await expect(signer.verify(await signedByThisKey(header, 'pas du JSON'))).rejects.toThrow(/JSON/);
    });
  });
});

describe('the contract key file', () => {
  it('is made on first start, PKCS#8 PEM, readable by the node’s account only', async () => {
    const file = path.join(dir, 'neuf', 'keys', 'contract-jws.pem');
    await loadContractSigner(file);
    const stat = await fs.stat(file);
    expect(stat.mode & 0o777).toBe(0o600);
    expect(await fs.readFile(file, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
  });

  it('is reused on the next start: same kid, and the earlier JWS still verify', async () => {
    const file = path.join(dir, 'keys', 'contract-jws.pem');
    const jws = await signer.sign(agreement);
    const again = await loadContractSigner(file);
    expect(again.kid).toBe(signer.kid);
    expect(again.publicJwk()).toEqual(signer.publicJwk());
    expect(await again.verify(jws)).toEqual(agreement);
  });

  it('gives one key to two nodes starting at once on one folder', async () => {
    const file = path.join(dir, 'course', 'contract-jws.pem');
    const [a, b] = await Promise.all([loadContractSigner(file), loadContractSigner(file)]);
    expect(a.kid).toBe(b.kid);
  });

  it('is refused when others can read it', async () => {
    const file = path.join(dir, 'ouverte', 'contract-jws.pem');
    await loadContractSigner(file);
    for (const mode of [0o644, 0o640, 0o604]) {
      await fs.chmod(file, mode);
      await expect(loadContractSigner(file)).rejects.toThrow(/lisible par d’autres comptes .*chmod 600/);
    }
  });

  it('is refused when it holds another kind of key', async () => {
    const file = path.join(dir, 'p256.pem');
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await fs.writeFile(file, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
    await expect(loadContractSigner(file)).rejects.toThrow(/Ed25519/);
  });
});

describe('the published key', () => {
  it('is the public JWK (no private part) under its RFC 7638 thumbprint', async () => {
    const { kid, alg, jwk } = signer.publicJwk();
    expect(alg).toBe('EdDSA');
    expect(jwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', kid, alg: 'EdDSA', use: 'sig' });
    expect(jwk).not.toHaveProperty('d');
    // RFC 7638 §3: SHA-256 of the required members in lexicographic order, no whitespace.
    const members = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x });
    expect(kid).toBe(createHash('sha256').update(members).digest('base64url'));
  });
});

describe('the contract key and the ledger’s note key', () => {
  it('live in different files by default', () => {
    const config = loadConfig({ CONFIANCE_DATA_DIR: '/srv/confiance' });
    expect(config.contracts.keyFile).toBe(path.resolve('/srv/confiance/keys/contract-jws.pem'));
    expect(config.ledger.keyFile).toBe(path.resolve('/srv/confiance/keys/ledger-note.pem'));
  });

  it('follow CONFIANCE_CONTRACT_KEY_FILE', () => {
    expect(loadConfig({ CONFIANCE_CONTRACT_KEY_FILE: '/etc/confiance/contrats.pem' }).contracts.keyFile).toBe(
      path.resolve('/etc/confiance/contrats.pem'),
    );
  });

  it('may not be pointed at one file', () => {
    const env = { CONFIANCE_DATA_DIR: '/srv/confiance', CONFIANCE_CONTRACT_KEY_FILE: '/srv/confiance/keys/ledger-note.pem' };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig({ CONFIANCE_LEDGER_KEY_FILE: 'k.pem', CONFIANCE_CONTRACT_KEY_FILE: './k.pem' })).toThrow(
      /CONFIANCE_CONTRACT_KEY_FILE/,
    );
  });

  it('are different keys on a node', async () => {
    const config = loadConfig({ CONFIANCE_DATA_DIR: path.join(dir, 'noeud') });
    const ledger = await loadOrCreateSigner(config.ledger.keyFile, 'confiance.test/ledger');
    const contracts = await loadContractSigner(config.contracts.keyFile);
    const contractKey = Buffer.from(String(contracts.publicJwk().jwk.x), 'base64url');
    expect(contractKey.equals(ledger.publicKey)).toBe(false);
    // Nor can the contract signer be made to vouch for a ledger signature.
    const ledgerSigned = await new CompactSign(new TextEncoder().encode(canonicalJson(agreement)))
      .setProtectedHeader({ alg: 'EdDSA', kid: contracts.kid, typ: CONTRACT_JWS_TYPE })
      .sign(createPrivateKey(await fs.readFile(config.ledger.keyFile, 'utf8')));
    await expect(contracts.verify(ledgerSigned)).rejects.toThrow();
  });
});
