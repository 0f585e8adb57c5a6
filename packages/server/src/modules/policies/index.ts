import type { FastifyInstance } from 'fastify';
import type { Context } from '../../platform/context';
import { registerSchemaImpactProvider } from '../catalog/index';
import { registerGateExecutor } from '../governance/index';
import { checkCharterInput, checkCharterOrder, publishCharterIn } from './commands/charter';
import { policiesRoutes } from './routes';

/**
 * Policies: the ethics charter (versions, signatures), offers as ODRL policies built from
 * templates or written as JSON-LD, and the decision preview. The evaluator itself is pure and
 * lives in the contract package (`policy/`), shared with the portal and the CLI.
 */
export { publishCharter, signCharter } from './commands/charter';
export { createOffer, updateOffer, retireOffer, offerDatasetOf } from './commands/offers';
export { currentCharter, charterStanding, findOffer, listOffers, type OfferRow } from './repository';
export { previewDecision } from './decide';

let impactRegistered = false;

export function registerPolicies(app: FastifyInstance, ctx: Context): void {
  if (!impactRegistered) registerOfferImpact();
  impactRegistered = true;
  registerCharterGate();
  policiesRoutes(app, ctx);
}

function registerOfferImpact(): void {
  // A new version that drops, renames or newly flags columns touches every active offer on the
  // dataset: the steward confirms knowing which (the catalog lists them in its 409).
  registerSchemaImpactProvider(async (db, datasetId) => {
    const rows = await db
      .selectFrom('offers')
      .select(['id', 'title'])
      .where('dataset_id', '=', datasetId)
      .where('status', '=', 'active')
      .execute();
    return rows.map((r) => ({ kind: 'offer' as const, id: r.id, label: r.title }));
  });
}

/** A charter version the operator proposes waits, when gated, for the commission's vote. */
function registerCharterGate(): void {
  registerGateExecutor('charter_version', {
    async prepare(db, payload) {
      const input = checkCharterInput(payload);
      await checkCharterOrder(db, input.version);
      return input;
    },
    question: (payload) => `Adopter la version ${checkCharterInput(payload).version} de la charte éthique ?`,
    describe(payload) {
      const input = checkCharterInput(payload);
      return [
        `Publier la version ${input.version} de la charte éthique : « ${input.title.fr} ».`,
        `Texte de ${input.body.fr.length.toLocaleString('fr-FR')} caractères ; elle entre en vigueur dès l’adoption, et chaque organisation devra la signer de nouveau.`,
      ];
    },
    execute: (trx, actor, payload) => publishCharterIn(trx, actor, checkCharterInput(payload)),
  });
}
