import { connect } from '../../api';
import { formatDay, print, printJson } from '../../output';
import { notFoundHint } from './dataset';

export async function datasetsDeprecate(ref: string, options: { note: string; json?: boolean }): Promise<void> {
  const { client } = await connect({ requireAuth: true });
  let dataset;
  try {
    dataset = await client.datasets.deprecate(ref, options.note);
  } catch (error) {
    throw notFoundHint(error, ref);
  }
  if (options.json) {
    printJson(dataset);
    return;
  }
  print(
    `« ${dataset.title.fr} » (${dataset.slug}) est marqué obsolète depuis le ${formatDay(dataset.deprecation?.at ?? dataset.modified)}.`,
  );
  print('Il reste lisible et les accès en cours continuent ; le catalogue le signale avec votre note.');
}
