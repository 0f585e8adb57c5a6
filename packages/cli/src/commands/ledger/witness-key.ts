import path from 'node:path';
import { UsageError } from '../../errors';
import { print, printJson } from '../../output';
import { exists, writePrivate } from './files';
import { generateWitnessKey } from './keys';

export interface WitnessKeyOptions {
  name: string;
  output: string;
  force?: boolean;
  json?: boolean;
}

export async function ledgerWitnessKey(options: WitnessKeyOptions): Promise<void> {
  const file = path.resolve(options.output);
  // Replacing a witness key silently would orphan the key the node's operator registered.
  if (!options.force && (await exists(file)))
    throw new UsageError(`${file} existe déjà : ajoutez --force pour le remplacer (l’ancienne clé sera perdue).`);
  const { key, pem } = await generateWitnessKey(options.name);
  await writePrivate(file, pem);
  if (options.json) {
    printJson({ name: key.name, verifierKey: key.verifierKey, file });
    return;
  }
  print(`Clé privée du témoin enregistrée : ${file} (mode 0600 ; ne la communiquez à personne).`);
  print('Clé de vérification à transmettre à l’opérateur du nœud, pour CONFIANCE_LEDGER_WITNESSES :');
  print();
  print(`  ${key.verifierKey}`);
  print();
  print(`Puis : confiance ledger watch --state témoin.json --witness-key-file ${options.output} --name ${key.name}`);
}
