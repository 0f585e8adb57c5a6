import type { TokenScope } from '@confiance/contract';
import { connect } from '../../api';
import { UsageError } from '../../errors';
import { SCOPE_LABELS, labels } from '../../labels';
import { formatDay, note, print, printJson } from '../../output';

export interface TokensCreateOptions {
  scope?: TokenScope[];
  expiresDays?: number;
  /** False with `--no-expiry`. */
  expiry?: boolean;
  json?: boolean;
}

const WARNING = 'Attention : copiez ce secret maintenant, il ne sera plus jamais affiché (le serveur n’en garde qu’une empreinte).';

export async function tokensCreate(name: string, options: TokensCreateOptions): Promise<void> {
  if (options.expiry === false && options.expiresDays !== undefined) {
    throw new UsageError('--expires-days et --no-expiry s’excluent : choisissez l’un ou l’autre.');
  }
  const { client } = await connect({ requireAuth: true });
  const created = await client.me.tokens.create({
    name,
    ...(options.scope?.length ? { scopes: [...new Set(options.scope)] } : {}),
    ...(options.expiry === false
      ? { expiresInDays: null }
      : options.expiresDays !== undefined
        ? { expiresInDays: options.expiresDays }
        : {}),
  });
  if (options.json) {
    printJson(created);
    note(WARNING);
    return;
  }
  print(`Jeton « ${created.name} » créé (${created.id}).`);
  print(
    `Droits : ${labels(SCOPE_LABELS, created.scopes)} — ${created.expiresAt ? `valable jusqu’au ${formatDay(created.expiresAt)}` : 'sans expiration'}.`,
  );
  print();
  print(`  ${created.secret}`);
  print();
  print('Utilisez-le avec CONFIANCE_TOKEN=… ou l’en-tête « Authorization: Bearer … ».');
  note(WARNING);
}
