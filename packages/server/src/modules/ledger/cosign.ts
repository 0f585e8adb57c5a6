import { parseCheckpoint, parseCosignature, verifyCosignature, type CosignatureInput } from '@confiance/contract';
import type { Context } from '../../platform/context';
import { AppError } from '../../platform/http/errors';
import { nodeCrypto } from './crypto';
import type { Ledger } from './index';
import { bytes, checkpointBody } from './integrate';
import { checkpointAt } from './repository';

/**
 * A witness (an independent party: a member organisation, a university) hands in its cosignature
 * of a checkpoint it checked for consistency with the last one it saw. The node keeps it and
 * serves it under its own signature, so a reader who trusts that witness knows the node showed it
 * the same history. Only witnesses the operator configured count.
 */
export async function acceptCosignature(ctx: Context, ledger: Ledger, input: CosignatureInput): Promise<void> {
  if (!ctx.config.ledger.witnesses.includes(input.witnessKey)) {
    throw new AppError('forbidden', 'Ce témoin n’est pas déclaré sur ce nœud (CONFIANCE_LEDGER_WITNESSES).');
  }
  let checkpoint;
  try {
    checkpoint = parseCheckpoint(input.checkpoint);
  } catch (error) {
    throw new AppError('validation_failed', `Point de contrôle illisible : ${(error as Error).message}`);
  }
  if (checkpoint.origin !== ledger.origin)
    throw new AppError('validation_failed', `Ce point de contrôle est celui d’un autre registre (${checkpoint.origin}).`);
  const ours = await checkpointAt(ctx.db, checkpoint.size);
  if (!ours || !bytes(ours.root).equals(Buffer.from(checkpoint.root))) {
    throw new AppError('conflict', 'Ce nœud n’a jamais émis ce point de contrôle : signalez-le, c’est peut-être une bifurcation.');
  }
  // Byte for byte the body the node signed: a cosignature of anything else (an extra line) would
  // not verify against the served note and would make readers who require the witness reject it.
  if (input.checkpoint !== checkpointBody(ledger.origin, checkpoint.size, bytes(ours.root))) {
    throw new AppError('validation_failed', 'Le texte cosigné diffère du point de contrôle émis par ce nœud.');
  }
  const ok = await verifyCosignature(nodeCrypto, input.witnessKey, input.checkpoint, input.signature).catch(() => false);
  if (!ok) throw new AppError('validation_failed', 'Cosignature invalide pour ce témoin et ce point de contrôle.');
  const { time } = parseCosignature(input.signature);
  if (time > Date.now() / 1000 + 300) throw new AppError('validation_failed', 'Cosignature datée du futur : vérifiez l’horloge du témoin.');
  const witness = input.witnessKey.split('+')[0]!;
  await ctx.db
    .insertInto('ledger_cosignatures')
    .values({ size: checkpoint.size, witness, time, line: input.signature.trim() })
    // A newer cosignature replaces an older one, never the reverse.
    .onConflict((oc) =>
      oc.columns(['size', 'witness']).doUpdateSet({ time, line: input.signature.trim() }).where('ledger_cosignatures.time', '<', time),
    )
    .execute();
}
