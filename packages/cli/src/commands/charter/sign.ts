import { ApiError } from '@confiance/contract';
import { connect } from '../../api';
import { details, formatDay, print, printJson } from '../../output';
import { charterVersion } from './rules';

/**
 * An org admin signs a charter version for the organisation: the one in force unless --version
 * names the one they read (the node refuses a version that is no longer current).
 */
export async function charterSign(organisation: string, options: { version?: string; json?: boolean }): Promise<void> {
  const { client } = await connect({ requireAuth: true });
  const charter = await charterVersion(client, options.version);
  let signature;
  try {
    signature = await client.charter.sign(organisation, charter.version);
  } catch (error) {
    throw signHint(error, organisation);
  }
  if (options.json) {
    printJson(signature);
    return;
  }
  print(`Charte éthique signée pour ${signature.organisation.name} (${signature.organisation.slug}).`);
  print(
    details([
      ['Version', charter.version],
      ['Titre', charter.title.fr],
      ['SHA-256', charter.sha256],
      ['Signée le', formatDay(signature.signedAt)],
    ]),
  );
}

function signHint(error: unknown, organisation: string): unknown {
  if (!(error instanceof ApiError)) return error;
  const hint =
    error.code === 'charter_outdated'
      ? 'Lisez la version en vigueur (« confiance charter show ») puis signez-la : « confiance charter sign ' + organisation + ' ».'
      : error.code === 'forbidden'
        ? 'Seul un administrateur de l’organisation peut signer la charte pour elle.'
        : error.code === 'not_found'
          ? 'Vérifiez le slug de l’organisation : « confiance members list ».'
          : null;
  return hint
    ? new ApiError(error.status, error.code, `${error.message.replace(/\s*$/, '')} ${hint}`, error.details, error.requestId)
    : error;
}
