import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as contract from '../index';

const folder = fileURLToPath(new URL('.', import.meta.url));
const sources = readdirSync(folder).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts') && name !== 'test-support.ts');

describe('the tlog core runs in browsers as it is', () => {
  it.each(sources)('%s imports nothing from Node and uses no Node global', (name) => {
    const code = readFileSync(folder + name, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    expect(code).not.toMatch(/from ['"]node:|require\(|\bBuffer\b|\bprocess\./);
    // Only sibling modules: the core has no dependency at all.
    for (const [, spec] of code.matchAll(/from ['"]([^'"]+)['"]/g)) expect(spec).toMatch(/^\.\/[a-z0-9-]+$/);
  });

  it('is exported from the contract package', () => {
    for (const name of [
      'canonicalJson',
      'verifyInclusion',
      'consistencyProof',
      'verifyNote',
      'parseCheckpoint',
      'verifyCosignature',
      'tilePath',
    ]) {
      expect(typeof (contract as Record<string, unknown>)[name], name).toBe('function');
    }
  });
});
