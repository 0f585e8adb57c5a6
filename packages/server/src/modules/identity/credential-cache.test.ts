import { describe, expect, it } from 'vitest';
import { CredentialCache } from './credential-cache';
import type { CredentialRow } from './repository';

function row(userId: string, overrides: Partial<CredentialRow> = {}): CredentialRow {
  return {
    user_id: userId,
    platform_roles: [],
    memberships: [],
    credential_id: `cred-${userId}`,
    csrf_token: null,
    scopes: ['read'],
    last_used: new Date(),
    expires_at: null,
    ...overrides,
  };
}

function enabled(): CredentialCache {
  const cache = new CredentialCache();
  cache.enable();
  return cache;
}

describe('credential cache', () => {
  it('keeps nothing until it is listening for changes', () => {
    const cache = new CredentialCache();
    cache.set('h', row('u1'), cache.epoch);
    expect(cache.get('h')).toBeUndefined();
  });

  it('returns what it was given', () => {
    const cache = enabled();
    cache.set('h', row('u1'), cache.epoch);
    expect(cache.get('h')?.user_id).toBe('u1');
  });

  describe('when a change about a user is notified', () => {
    it('drops every credential of that user and only theirs', () => {
      const cache = enabled();
      cache.set('session-u1', row('u1'), cache.epoch);
      cache.set('token-u1', row('u1'), cache.epoch);
      cache.set('token-u2', row('u2'), cache.epoch);
      cache.invalidate('u1');
      expect(cache.get('session-u1')).toBeUndefined();
      expect(cache.get('token-u1')).toBeUndefined();
      expect(cache.get('token-u2')?.user_id).toBe('u2');
    });
  });

  describe('when an organisation changes (*)', () => {
    it('drops everything', () => {
      const cache = enabled();
      cache.set('a', row('u1'), cache.epoch);
      cache.set('b', row('u2'), cache.epoch);
      cache.invalidate('*');
      expect(cache.get('a')).toBeUndefined();
      expect(cache.get('b')).toBeUndefined();
    });
  });

  describe('when a change was notified while the database was being read', () => {
    it('does not keep the row, which may predate the change', () => {
      const cache = enabled();
      const epoch = cache.epoch;
      cache.invalidate('u1'); // arrives between the read and the set
      cache.set('h', row('u1'), epoch);
      expect(cache.get('h')).toBeUndefined();
    });
  });

  describe('when the credential has expired since it was cached', () => {
    it('is no longer returned', () => {
      const cache = enabled();
      cache.set('h', row('u1', { expires_at: new Date(Date.now() - 1) }), cache.epoch);
      expect(cache.get('h')).toBeUndefined();
    });
  });

  describe('when notifications are lost', () => {
    it('turns itself off and forgets everything', () => {
      const cache = enabled();
      cache.set('h', row('u1'), cache.epoch);
      cache.disable();
      expect(cache.get('h')).toBeUndefined();
      cache.set('h', row('u1'), cache.epoch);
      expect(cache.get('h')).toBeUndefined();
    });
  });
});
