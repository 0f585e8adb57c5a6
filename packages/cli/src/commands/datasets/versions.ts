import { connect } from '../../api';
import { NONE, formatBytes, formatDateTime, formatNumber, print, printJson, table } from '../../output';
import { notFoundHint } from './dataset';

export async function datasetsVersions(ref: string, options: { json?: boolean }): Promise<void> {
  const { client } = await connect();
  let list;
  try {
    list = await client.datasets.versions(ref);
  } catch (error) {
    throw notFoundHint(error, ref);
  }
  if (options.json) {
    printJson(list);
    return;
  }
  print(
    table(list.items, [
      { header: 'Version', value: (v) => String(v.number), align: 'right' },
      { header: 'Publiée le', value: (v) => formatDateTime(v.publishedAt) },
      { header: 'Par', value: (v) => v.publishedBy ?? NONE },
      { header: 'Lignes', value: (v) => formatNumber(v.rowCount), align: 'right' },
      { header: 'Taille', value: (v) => formatBytes(v.byteSize), align: 'right' },
      { header: 'Fichier source', value: (v) => v.source.fileName },
      { header: 'Notes', value: (v) => v.notes ?? '' },
    ]),
  );
}
