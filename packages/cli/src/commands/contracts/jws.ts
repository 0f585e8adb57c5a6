import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from '@confiance/contract';

/**
 * Offline check of a contract's JWS (compact, EdDSA over Ed25519): that the node's contract key
 * signed it, and that what it signed is the agreement the contract shows. Either check alone is not
 * enough — a valid signature over another agreement, or the right agreement under no signature,
 * would let a node (or anyone between it and the reader) present terms nobody agreed to.
 *
 * The node signs the RFC 8785 canonical JSON of the agreement, so the payload must be exactly the
 * canonical text of the agreement shown: comparing parsed objects instead would accept a payload
 * with a duplicated key, read as one agreement here and as another by a verifier keeping the first.
 */

export interface ContractKey {
  kid: string;
  jwk: Record<string, unknown>;
}

export interface Check {
  ok: boolean;
  /** French, one line. */
  reason: string;
}

export interface AgreementVerification {
  valid: boolean;
  kid: string | null;
  signature: Check;
  payload: Check;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** The media type the node gives its contract JWS; another would be some other signed document. */
export const CONTRACT_JWS_TYPE = 'application/odrl+json';
const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeJson(part: string): unknown {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
}

function publicKey(jwk: Record<string, unknown>): KeyObject | string {
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string')
    return 'la clé de contrat n’est pas une clé publique Ed25519 (JWK kty OKP, crv Ed25519)';
  try {
    // Only the public members: a JWK with `d` would be read as a private key.
    return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, format: 'jwk' });
  } catch (error) {
    return `clé de contrat illisible (${(error as Error).message})`;
  }
}

function canonical(value: unknown): string | null {
  try {
    return canonicalJson(value);
  } catch {
    return null; // not I-JSON (a lone surrogate, say): it cannot be what the node signed
  }
}

export function verifyAgreementJws(jws: string, agreement: unknown, key: ContractKey): AgreementVerification {
  const fail = (reason: string): AgreementVerification => ({
    valid: false,
    kid: null,
    signature: { ok: false, reason },
    payload: { ok: false, reason: 'contenu signé non vérifié : le JWS est illisible' },
  });
  const parts = jws.trim().split('.');
  if (parts.length !== 3 || !parts.every((p) => BASE64URL.test(p)))
    return fail('JWS illisible : trois parties base64url séparées par des points attendues');
  const [h, p, s] = parts as [string, string, string];
  let header: Record<string, unknown>;
  try {
    const decoded = decodeJson(h);
    if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) return fail('en-tête du JWS illisible');
    header = decoded as Record<string, unknown>;
  } catch {
    return fail('en-tête du JWS illisible');
  }
  const kid = typeof header.kid === 'string' ? header.kid : null;

  let signature: Check;
  const k = publicKey(key.jwk);
  if (header.alg !== 'EdDSA') signature = { ok: false, reason: `algorithme « ${String(header.alg)} » : seul EdDSA est accepté` };
  // RFC 7515 §4.1.11: extensions the verifier does not understand (b64: false, say) must be refused.
  else if (header.crit !== undefined) signature = { ok: false, reason: 'en-tête « crit » : extension non prise en charge' };
  else if (header.typ !== undefined && header.typ !== CONTRACT_JWS_TYPE)
    signature = { ok: false, reason: `type « ${String(header.typ)} » : un accord de contrat (${CONTRACT_JWS_TYPE}) est attendu` };
  else if (kid !== null && kid !== key.kid)
    signature = { ok: false, reason: `signé avec la clé « ${kid} », alors que la clé de contrat est « ${key.kid} »` };
  else if (typeof k === 'string') signature = { ok: false, reason: k };
  else {
    const ok = verify(null, Buffer.from(`${h}.${p}`, 'ascii'), k, Buffer.from(s, 'base64url'));
    signature = ok
      ? { ok, reason: `signature EdDSA valide, clé de contrat « ${key.kid} »` }
      : { ok, reason: `signature invalide pour la clé de contrat « ${key.kid} » : le JWS a été modifié ou signé par une autre clé` };
  }

  let payload: Check;
  let text: string | null;
  try {
    text = utf8.decode(Buffer.from(p, 'base64url'));
  } catch {
    text = null;
  }
  if (text === null) payload = { ok: false, reason: 'contenu signé illisible : de l’UTF-8 est attendu' };
  else if (text === canonical(agreement)) payload = { ok: true, reason: 'le contenu signé est l’accord ODRL du contrat, à l’identique' };
  else payload = { ok: false, reason: 'le contenu signé diffère de l’accord ODRL que le contrat présente' };
  return { valid: signature.ok && payload.ok, kid, signature, payload };
}
