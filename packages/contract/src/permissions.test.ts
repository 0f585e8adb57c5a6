import { describe, expect, it } from 'vitest';
import {
  ACTIONS,
  SUBJECTS,
  can,
  isReadAction,
  listRules,
  type Action,
  type Membership,
  type PlatformRole,
  type Principal,
  type Resource,
  type Subject,
  type TokenScope,
} from './permissions';

const ORG_A = 'org-a';
const ORG_B = 'org-b';
const ME = 'user-me';
const SOMEONE_ELSE = 'user-other';

function user(options: { memberships?: Membership[]; platformRoles?: PlatformRole[]; tokenScopes?: TokenScope[] } = {}): Principal {
  return {
    kind: 'user',
    userId: ME,
    platformRoles: options.platformRoles ?? [],
    memberships: options.memberships ?? [],
    ...(options.tokenScopes ? { tokenScopes: options.tokenScopes } : {}),
  };
}

const anonymous: Principal = { kind: 'anonymous' };
const plainUser = user();
const analystA = user({ memberships: [{ organisationId: ORG_A, role: 'analyst' }] });
const stewardA = user({ memberships: [{ organisationId: ORG_A, role: 'data_steward' }] });
const adminA = user({ memberships: [{ organisationId: ORG_A, role: 'org_admin' }] });
const adminAAnalystB = user({
  memberships: [
    { organisationId: ORG_A, role: 'org_admin' },
    { organisationId: ORG_B, role: 'analyst' },
  ],
});
const operator = user({ platformRoles: ['operator'] });
const ethics = user({ platformRoles: ['ethics_member'] });

const inA: Resource = { organisationId: ORG_A };
const inB: Resource = { organisationId: ORG_B };
const mine: Resource = { userId: ME };
const theirs: Resource = { userId: SOMEONE_ELSE };

type Row = [label: string, principal: Principal, action: Action, subject: Subject, resource: Resource | undefined, expected: boolean];

describe('can()', () => {
  describe('when the caller is anonymous', () => {
    it.each<Row>([
      ['browses the member directory', anonymous, 'list', 'Organisation', undefined, true],
      ['reads a member’s page', anonymous, 'read', 'Organisation', inA, true],
      ['reads health and the API description', anonymous, 'read', 'System', undefined, true],
      ['may try to sign in', anonymous, 'create', 'Session', undefined, true],
      ['cannot edit an organisation', anonymous, 'update', 'Organisation', inA, false],
      ['cannot see an organisation’s people', anonymous, 'list', 'Membership', inA, false],
      ['cannot read a profile', anonymous, 'read', 'User', mine, false],
      ['cannot list tokens', anonymous, 'list', 'ApiToken', mine, false],
      ['cannot admit a member', anonymous, 'create', 'Organisation', undefined, false],
    ])('%s → %s', (_label, principal, action, subject, resource, expected) => {
      expect(can(principal, action, subject, resource)).toBe(expected);
    });
  });

  describe('when the caller is signed in without any role', () => {
    it.each<Row>([
      ['reads their own profile', plainUser, 'read', 'User', mine, true],
      ['updates their own profile', plainUser, 'update', 'User', mine, true],
      ['cannot read someone else’s profile', plainUser, 'read', 'User', theirs, false],
      ['cannot deactivate anyone', plainUser, 'deactivate', 'User', theirs, false],
      ['cannot deactivate themselves', plainUser, 'deactivate', 'User', mine, false],
      ['ends their own session', plainUser, 'delete', 'Session', mine, true],
      ['cannot end another person’s session', plainUser, 'delete', 'Session', theirs, false],
      ['creates their own API tokens', plainUser, 'create', 'ApiToken', mine, true],
      ['cannot revoke another person’s token', plainUser, 'delete', 'ApiToken', theirs, false],
      ['may leave an organisation', plainUser, 'delete', 'Membership', { organisationId: ORG_A, userId: ME }, true],
      ['cannot remove someone else from one', plainUser, 'delete', 'Membership', { organisationId: ORG_A, userId: SOMEONE_ELSE }, false],
      ['cannot list an organisation’s people', plainUser, 'list', 'Membership', inA, false],
    ])('%s → %s', (_label, principal, action, subject, resource, expected) => {
      expect(can(principal, action, subject, resource)).toBe(expected);
    });
  });

  describe('when the caller holds an organisation role, it counts only in that organisation', () => {
    it.each<Row>([
      ['an analyst lists colleagues', analystA, 'list', 'Membership', inA, true],
      ['an analyst does not list another organisation’s people', analystA, 'list', 'Membership', inB, false],
      ['an analyst does not invite', analystA, 'create', 'Invitation', inA, false],
      ['an analyst does not edit the organisation', analystA, 'update', 'Organisation', inA, false],
      ['a steward lists colleagues', stewardA, 'list', 'Membership', inA, true],
      ['a steward does not change roles', stewardA, 'update', 'Membership', inA, false],
      ['a steward does not invite', stewardA, 'create', 'Invitation', inA, false],
      ['an admin edits their organisation', adminA, 'update', 'Organisation', inA, true],
      ['an admin does not edit another organisation', adminA, 'update', 'Organisation', inB, false],
      ['an admin invites into their organisation', adminA, 'create', 'Invitation', inA, true],
      ['an admin does not invite into another', adminA, 'create', 'Invitation', inB, false],
      ['an admin changes roles and removes people', adminA, 'update', 'Membership', inA, true],
      ['an admin removes people', adminA, 'delete', 'Membership', { organisationId: ORG_A, userId: SOMEONE_ELSE }, true],
      ['an admin does not remove people elsewhere', adminA, 'delete', 'Membership', { organisationId: ORG_B, userId: SOMEONE_ELSE }, false],
      ['an admin does not deactivate their organisation', adminA, 'deactivate', 'Organisation', inA, false],
      ['an admin does not admit members', adminA, 'create', 'Organisation', undefined, false],
      ['an admin of A who is analyst of B is only an analyst in B', adminAAnalystB, 'update', 'Organisation', inB, false],
      ['… and still lists B’s people', adminAAnalystB, 'list', 'Membership', inB, true],
      ['an org role never applies to a personal resource', adminA, 'read', 'User', theirs, false],
    ])('%s → %s', (_label, principal, action, subject, resource, expected) => {
      expect(can(principal, action, subject, resource)).toBe(expected);
    });

    it('answers “somewhere?” when no resource is given, which menus use', () => {
      expect(can(adminA, 'create', 'Invitation')).toBe(true);
      expect(can(analystA, 'create', 'Invitation')).toBe(false);
      expect(can(plainUser, 'list', 'Membership')).toBe(false);
    });
  });

  describe('when the caller is the operator', () => {
    const everyAction = ACTIONS.filter((a) => a !== 'manage');
    it.each(['Organisation', 'Membership', 'Invitation', 'User'] as const)('may do everything on %s, in any organisation', (subject) => {
      for (const action of everyAction) {
        expect(can(operator, action, subject, inA), `${action} ${subject}`).toBe(true);
        expect(can(operator, action, subject, inB), `${action} ${subject}`).toBe(true);
      }
    });
    it('reads system information', () => {
      expect(can(operator, 'read', 'System')).toBe(true);
    });
    it('cannot revoke another person’s API token', () => {
      expect(can(operator, 'delete', 'ApiToken', theirs)).toBe(false);
    });
  });

  describe('when the caller is an ethics-commission member', () => {
    it('has no organisation powers by that role alone', () => {
      expect(can(ethics, 'update', 'Organisation', inA)).toBe(false);
      expect(can(ethics, 'deactivate', 'User', theirs)).toBe(false);
    });
  });

  describe('when the request is authenticated by an API token', () => {
    const readAdmin = user({ memberships: [{ organisationId: ORG_A, role: 'org_admin' }], tokenScopes: ['read'] });
    const writeAdmin = user({ memberships: [{ organisationId: ORG_A, role: 'org_admin' }], tokenScopes: ['write'] });
    const readOperator = user({ platformRoles: ['operator'], tokenScopes: ['read'] });

    it.each<Row>([
      ['a read token lists', readAdmin, 'list', 'Membership', inA, true],
      ['a read token reads', readAdmin, 'read', 'User', mine, true],
      ['a read token cannot update', readAdmin, 'update', 'Organisation', inA, false],
      ['a read token cannot invite', readAdmin, 'create', 'Invitation', inA, false],
      ['a read token cannot delete', readAdmin, 'delete', 'Membership', inA, false],
      ['a read token cannot mint more tokens', readAdmin, 'create', 'ApiToken', mine, false],
      ['a read token of the operator cannot deactivate', readOperator, 'deactivate', 'User', theirs, false],
      ['a read token of the operator cannot manage', readOperator, 'manage', 'Organisation', inA, false],
      ['a write token updates', writeAdmin, 'update', 'Organisation', inA, true],
      ['a write token still obeys the table', writeAdmin, 'update', 'Organisation', inB, false],
    ])('%s → %s', (_label, principal, action, subject, resource, expected) => {
      expect(can(principal, action, subject, resource)).toBe(expected);
    });
  });
});

describe('the rule table', () => {
  it('explains every rule and names only known actions and subjects', () => {
    const rules = listRules();
    expect(rules.length).toBeGreaterThan(10);
    for (const rule of rules) {
      expect(rule.because.length, `${rule.role} ${rule.action} ${rule.subject}`).toBeGreaterThan(10);
      expect(ACTIONS).toContain(rule.action);
      expect(SUBJECTS).toContain(rule.subject);
    }
  });

  it('lets read-only tokens do exactly read and list', () => {
    expect(ACTIONS.filter(isReadAction)).toEqual(['read', 'list']);
  });
});
