/**
 * The ledger's cryptographic core: pure, dependency-free, the same code in Node and in the browser.
 * Every function that hashes or verifies takes the primitives (`TlogCrypto`) as a parameter.
 */
export * from './crypto';
export * from './errors';
export * from './encoding';
export * from './jcs';
export * from './merkle';
export * from './note';
export * from './tiles';
