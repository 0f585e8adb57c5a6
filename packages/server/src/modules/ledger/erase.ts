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
    const entry = await trx.selectFrom('ledger_entries').select(['id', 'parties']).where('tree_index', '=', index).executeTakeFirst();
    if (!entry) throw new AppError('not_found', `Pas d’entrée ${index} dans le registre.`);
    const deleted = await trx.deleteFrom('ledger_details').where('entry_id', '=', entry.id).returning('entry_id').executeTakeFirst();
    if (!deleted) throw new AppError('conflict', `Les détails de l’entrée ${index} sont déjà effacés.`);
    await recordFact(trx, { type: 'details.erased', public: { entry: index, reason }, parties: entry.parties });
  });
}
