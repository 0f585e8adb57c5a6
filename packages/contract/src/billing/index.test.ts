import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as contract from '../index';

const folder = fileURLToPath(new URL('.', import.meta.url));
const sources = readdirSync(folder).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'));

describe('the billing core is pure and shared', () => {
  it.each(sources)('%s imports nothing from Node and no floats reach money through Math.round', (name) => {
    const code = readFileSync(folder + name, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    expect(code).not.toMatch(/from ['"]node:|require\(|\bBuffer\b|\bprocess\.|Date\.now|Math\.random|Math\.round|toFixed\(/);
    // zod, sibling modules and the members' categories only.
    for (const [, spec] of code.matchAll(/from ['"]([^'"]+)['"]/g)) expect(spec).toMatch(/^(zod|\.\/[a-z0-9-]+|\.\.\/members)$/);
  });

  it('is exported from the contract package', () => {
    for (const name of ['allocate', 'formatEuros', 'vatBreakdown', 'planSchema', 'estimate', 'computeFee', 'spendCredits', 'fairShare']) {
      expect(typeof (contract as Record<string, unknown>)[name], name).toBe(name.endsWith('Schema') ? 'object' : 'function');
    }
  });
});
