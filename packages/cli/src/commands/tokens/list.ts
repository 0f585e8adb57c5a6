import type { Client } from '@confiance/contract';
import { connect } from '../../api';
import { SCOPE_LABELS, labels } from '../../labels';
import { formatDateTime, formatDay, print, printJson, table } from '../../output';

export type Token = Awaited<ReturnType<Client['me']['tokens']['list']>>['items'][number];

export function tokenStatus(token: Token, now = Date.now()): string {
  if (token.revokedAt) return 'révoqué';
  if (token.expiresAt && Date.parse(token.expiresAt) <= now) return 'expiré';
  return 'actif';
}

export async function tokensList(options: { json?: boolean }): Promise<void> {
  const { client, credential } = await connect({ requireAuth: true });
  const list = await client.me.tokens.list();
  if (options.json) {
    printJson(list);
    return;
  }
  if (list.items.length === 0) {
    print('Aucun jeton d’API. Créez-en un avec « confiance tokens create NOM ».');
    return;
  }
  // Prefixes are public (shown on the portal too); comparing them never reveals the secret.
  const current = (t: Token) => credential!.token.startsWith(t.prefix) && !t.revokedAt;
  print(
    table(list.items, [
      { header: 'Id', value: (t) => t.id },
      {
        header: 'Nom',
        value: (t) => (current(t) ? `${t.name} (${credential!.source === 'env' ? 'CONFIANCE_TOKEN' : 'ce poste'})` : t.name),
      },
      { header: 'Préfixe', value: (t) => t.prefix },
      { header: 'Droits', value: (t) => labels(SCOPE_LABELS, t.scopes) },
      { header: 'Statut', value: (t) => tokenStatus(t) },
      { header: 'Créé le', value: (t) => formatDay(t.createdAt) },
      { header: 'Expire le', value: (t) => (t.expiresAt ? formatDay(t.expiresAt) : 'jamais') },
      { header: 'Dernier usage', value: (t) => formatDateTime(t.lastUsedAt) },
    ]),
  );
}
