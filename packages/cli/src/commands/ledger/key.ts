import { formatKeyId } from '@confiance/contract';
import { note, print, printJson } from '../../output';
import { fetchNodeKey } from './keys';

const ADVICE =
  'Cette clé vient du nœud lui-même : comparez-la avec celle que l’opérateur publie par un autre canal avant de vous y fier, puis gardez-la (--key-file).';

export async function ledgerKey(options: { json?: boolean }): Promise<void> {
  const { text, key } = await fetchNodeKey();
  if (options.json) printJson({ verifierKey: text, name: key.name, keyId: formatKeyId(key.keyId) });
  else print(text);
  note(ADVICE);
}
