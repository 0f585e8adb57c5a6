export * from './errors';
export * from './permissions';
export * from './identifiers';
export * from './common';
export * from './members';
export * from './identity';
export * from './client';
export * from './catalog';
export * from './datasets';
export * from './ledger';
export * from './tlog/index';
export * from './policy/index';
export * from './policies';
// Both the authorization table and ODRL have rules: `Rule` stays the authorization rule.
export type { Rule } from './permissions';
export type { Rule as PolicyRule } from './policy/model';
export * from './contracts';
export * from './queries';
export * from './billing/index';
