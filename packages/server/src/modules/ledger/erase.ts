import type { Context } from '../../platform/context';
import { AppError } from '../../platform/http/errors';
import { recordFact } from './record';

/**
 * Erasure (RGPD, legal request, error): the details and their salt are deleted, so the commitment
 * can no longer be opened; the leaf, and every proof through it, stays as it was. The erasure is
 * itself a fact of the log.
 */
export async function eraseDetails(ctx: Context, index: number, reason: 'rgpd' | 'legal' | 'error'): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    const entry = await trx.selectFrom('ledger_entries').select(['parties', 'details']).where('tree_index', '=', index).executeTakeFirst();
    if (!entry) throw new AppError('not_found', `Pas d’entrée ${index} dans le registre.`);
    if (entry.details === null) throw new AppError('conflict', `Les détails de l’entrée ${index} sont déjà effacés.`);
    await trx.updateTable('ledger_entries').set({ salt: null, details: null }).where('tree_index', '=', index).execute();
    await recordFact(trx, { type: 'details.erased', public: { entry: index, reason }, parties: entry.parties });
  });
}
