import { connect } from '../../api';
import { PLATFORM_ROLE_LABELS, ROLE_LABELS, label, labels } from '../../labels';
import { details, print, printJson, table } from '../../output';

export async function whoami(options: { json?: boolean }): Promise<void> {
  const { url, client, credential } = await connect({ requireAuth: true });
  const session = await client.auth.session();
  const tokenSource = credential!.source;
  if (options.json) {
    printJson({ url, user: session.user, memberships: session.memberships, authenticatedBy: session.authenticatedBy, tokenSource });
    return;
  }
  print(
    details([
      ['Serveur', url],
      ['Utilisateur', `${session.user.displayName} <${session.user.email}>`],
      ['Identifiant', session.user.id],
      ['Rôles', session.user.platformRoles.length ? labels(PLATFORM_ROLE_LABELS, session.user.platformRoles) : null],
      [
        'Jeton',
        tokenSource === 'env' ? 'variable CONFIANCE_TOKEN' : `connexion enregistrée (${credential!.login?.tokenName ?? 'confiance login'})`,
      ],
    ]),
  );
  print();
  if (session.memberships.length === 0) {
    print('Aucune organisation.');
    return;
  }
  print(
    table(session.memberships, [
      { header: 'Organisation', value: (m) => m.organisationSlug },
      { header: 'Nom', value: (m) => m.organisationName },
      { header: 'Rôle', value: (m) => label(ROLE_LABELS, m.role) },
    ]),
  );
}
