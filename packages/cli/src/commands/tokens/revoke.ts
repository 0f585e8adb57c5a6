import { connect } from '../../api';
import { removeLogin } from '../../credentials';
import { CliError } from '../../errors';
import { note, print, printJson } from '../../output';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function tokensRevoke(ref: string, options: { json?: boolean }): Promise<void> {
  const { url, client, credential } = await connect({ requireAuth: true });
  let id = ref;
  if (!UUID.test(ref)) {
    // Also accept the prefix or the name shown by `tokens list`, when exactly one token has it.
    const { items } = await client.me.tokens.list();
    const matches = items.filter((t) => !t.revokedAt && (t.prefix === ref || t.name === ref));
    if (matches.length === 0) throw new CliError(`Jeton « ${ref} » introuvable : voyez « confiance tokens list ».`, { code: 'not_found' });
    if (matches.length > 1)
      throw new CliError(
        `Plusieurs jetons actifs s’appellent « ${ref} » : donnez l’identifiant (colonne ID de « confiance tokens list »).`,
        { code: 'conflict' },
      );
    id = matches[0]!.id;
  }
  const token = await client.me.tokens.revoke(id);
  const wasThisLogin =
    credential?.source === 'stored' &&
    credential.token.startsWith(token.prefix) &&
    (!credential.login?.tokenId || credential.login.tokenId === token.id);
  if (wasThisLogin) await removeLogin(url);
  if (options.json) printJson(token);
  else print(`Jeton « ${token.name} » révoqué : il est refusé dès maintenant.`);
  if (wasThisLogin) note('C’était le jeton de votre connexion : relancez « confiance login » pour continuer.');
}
