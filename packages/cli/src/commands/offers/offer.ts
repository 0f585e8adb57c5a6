import { ApiError, type Client, type OfferView } from '@confiance/contract';

/** An OFFER argument (its id), with a not-found message that says where offers are listed. */
export async function getOffer(client: Client, id: string): Promise<OfferView> {
  try {
    return await client.offers.get(id);
  } catch (error) {
    if (error instanceof ApiError && (error.code === 'not_found' || error.code === 'validation_failed'))
      throw new ApiError(
        error.status,
        error.code,
        `Offre « ${id} » introuvable : les offres d’un jeu de données sont listées par « confiance offers list JEU » (colonne ID).`,
        error.details,
        error.requestId,
      );
    throw error;
  }
}

/** Adds what to do next to the errors a steward meets when changing offers. */
export function offerHint(error: unknown): unknown {
  if (!(error instanceof ApiError)) return error;
  const hint: Partial<Record<string, string>> = {
    charter_not_signed: 'Un administrateur de l’organisation signe la charte avec « confiance charter sign ORGANISATION ».',
    forbidden: 'Seuls les responsables des données et les administrateurs de l’organisation productrice gèrent ses offres.',
    dataset_withdrawn: 'Un jeu de données retiré ne reçoit plus d’offre.',
    offer_retired: 'Une offre retirée ne change plus : créez-en une nouvelle avec « confiance offers create ».',
  };
  const more = hint[error.code];
  return more
    ? new ApiError(error.status, error.code, `${error.message.replace(/\s*$/, '')} ${more}`, error.details, error.requestId)
    : error;
}
