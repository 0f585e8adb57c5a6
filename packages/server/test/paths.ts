import path from 'node:path';

/** Shared by the global setup (no vitest runtime there) and the test helpers. */
export const PG_TEMPLATE_PREFIX = 'confiance_tpl_';
export const PG_TEST_PREFIX = 'confiance_t_';

export function templateFile(): string {
  return path.resolve(import.meta.dirname, '../../../.test-tmp/pglite-template.tar.gz');
}

export function adminUrl(url: string): string {
  return withDatabase(url, 'postgres');
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
