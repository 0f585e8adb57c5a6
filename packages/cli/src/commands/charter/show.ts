import { connect } from '../../api';
import { details, formatDay, plural, print, printJson } from '../../output';
import { charterRuleLines, charterVersion } from './rules';

export async function charterShow(options: { version?: string; lang?: 'fr' | 'en'; json?: boolean }): Promise<void> {
  const { client } = await connect();
  const charter = await charterVersion(client, options.version);
  if (options.json) {
    printJson(charter);
    return;
  }
  const lang = options.lang ?? 'fr';
  print(charter.title[lang]);
  print(
    details([
      ['Version', `${charter.version}${charter.current ? ' (en vigueur)' : ' (remplacée)'}`],
      ['Publiée le', formatDay(charter.publishedAt)],
      ['Signée par', plural(charter.signatureCount, 'organisation')],
      ['SHA-256', charter.sha256],
    ]),
  );
  print(`\n${charter.body[lang].trim()}\n`);
  print('Règles appliquées par la plateforme :');
  for (const line of charterRuleLines(charter.rules)) print(`  - ${line}`);
}
