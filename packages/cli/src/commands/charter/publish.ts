import { charterPublishInput, isVote } from '@confiance/contract';
import { connect } from '../../api';
import { UsageError } from '../../errors';
import { print, printJson } from '../../output';
import { readJson } from '../ledger/files';

/** The operator publishes a charter version from a JSON file (`charterPublishInput`); it is in force at once. */
export async function charterPublish(options: { file: string; json?: boolean }): Promise<void> {
  const raw = await readJson(options.file, 'la charte');
  const checked = charterPublishInput.safeParse(raw);
  if (!checked.success) {
    const issues = checked.error.issues.map((i) => `${i.path.map(String).join('.') || '(racine)'} — ${i.message}`);
    throw new UsageError(`Charte invalide dans ${options.file} : ${issues.join(' ; ')}`);
  }
  const { client } = await connect({ requireAuth: true });
  const charter = await client.charter.publish(checked.data);
  if (options.json) {
    printJson(charter);
    return;
  }
  if (isVote(charter)) {
    print(`Version soumise au vote de la ${charter.commission.name} : elle entrera en vigueur si le vote l’adopte.`);
    print(`Vote ${charter.id}, clôture le ${new Date(charter.closesAt).toLocaleString('fr-FR', { timeZone: 'Europe/Paris' })}.`);
    print(`Suivez-le avec « confiance votes show ${charter.id} ».`);
    return;
  }
  print(`Charte éthique version ${charter.version} « ${charter.title.fr} » publiée : elle est en vigueur.`);
  print(`SHA-256 : ${charter.sha256}`);
  print('Chaque organisation doit la signer (« confiance charter status » montre où elles en sont).');
}
