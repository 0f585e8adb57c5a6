import { ApiError, createClient, type Client } from '@confiance/contract';
import { serverUrl } from '../../api';
import { credentialsPath, getLogin, removeLogin, type StoredLogin } from '../../credentials';
import { CliError } from '../../errors';
import { note, print } from '../../output';

/** The id of the stored token: remembered at login, or found in the user's list by its public prefix. */
async function storedTokenId(client: Client, login: StoredLogin): Promise<string> {
  if (login.tokenId) return login.tokenId;
  const { items } = await client.me.tokens.list();
  const match = items.filter((t) => login.token.startsWith(t.prefix) && !t.revokedAt);
  if (match.length !== 1) throw new CliError('Jeton de la connexion introuvable dans votre liste de jetons.', { code: 'not_found' });
  return match[0]!.id;
}

export async function logout(): Promise<void> {
  const url = serverUrl();
  const login = await getLogin(url);
  if (!login) {
    print(`Aucune connexion enregistrée pour ${url}.`);
    if (process.env.CONFIANCE_TOKEN) note('La variable CONFIANCE_TOKEN reste définie : retirez-la de votre environnement.');
    return;
  }
  const client = createClient({ baseUrl: url, token: login.token });
  let alreadyInvalid = false;
  try {
    await client.me.tokens.revoke(await storedTokenId(client, login));
  } catch (error) {
    if (error instanceof ApiError && error.code === 'unauthenticated') {
      alreadyInvalid = true; // expired or revoked from the portal: the server already refuses it
    } else {
      // The secret leaves this machine either way; the user must know it is still valid on the server.
      await removeLogin(url);
      const reason = error instanceof Error ? error.message : String(error);
      throw new CliError(
        `Connexion supprimée de ce poste, mais le jeton « ${login.tokenName ?? login.token.slice(0, 10)} » n’a pas pu être révoqué sur ${url} (${reason}) : révoquez-le depuis le portail.`,
        error instanceof ApiError ? { code: error.code, ...(error.requestId ? { requestId: error.requestId } : {}) } : {},
      );
    }
  }
  await removeLogin(url);
  print(
    alreadyInvalid
      ? `Déconnecté de ${url} : le jeton n’était déjà plus valide ; il est retiré de ${credentialsPath()}.`
      : `Déconnecté de ${url} : jeton révoqué et retiré de ${credentialsPath()}.`,
  );
  if (process.env.CONFIANCE_TOKEN) note('La variable CONFIANCE_TOKEN reste définie : retirez-la de votre environnement.');
}
