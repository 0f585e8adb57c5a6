import type { Principal } from '@confiance/contract';
import type { Executor } from '../../platform/context';

/**
 * What the caller's contracts grant on a dataset (`rows`, `sql`, `download`, `aggregate`). The
 * contracts module provides it; the catalog asks on every request that reads data — never from a
 * cache — so a suspended, terminated or expired contract stops access on the very next request.
 */
export type GrantProvider = (db: Executor, datasetId: string, principal: Principal) => Promise<readonly string[]>;

let provider: GrantProvider | undefined;

export function registerGrantProvider(p: GrantProvider): void {
  provider = p;
}

export async function grantedUses(db: Executor, datasetId: string, principal: Principal): Promise<readonly string[]> {
  if (!provider || principal.kind !== 'user') return [];
  return provider(db, datasetId, principal);
}
