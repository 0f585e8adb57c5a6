import { ApiError, type Client, type DatasetView } from '@confiance/contract';

/** A DATASET argument (slug or id), with a not-found message that says how to find the right one. */
export async function getDataset(client: Client, dataset: string): Promise<DatasetView> {
  try {
    return await client.datasets.get(dataset);
  } catch (error) {
    throw notFoundHint(error, dataset);
  }
}

export function notFoundHint(error: unknown, dataset: string): unknown {
  if (error instanceof ApiError && error.code === 'not_found') {
    return new ApiError(
      error.status,
      error.code,
      `Jeu de données « ${dataset} » introuvable : cherchez-le avec « confiance datasets search … ».`,
      error.details,
      error.requestId,
    );
  }
  return error;
}
