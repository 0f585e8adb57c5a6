import { ApiError, actionLabel, purposeLabel, type CharterRules, type Client, type CharterVersionView } from '@confiance/contract';

/** The charter's machine-readable rules, one French sentence each (`charter show`, `offers create`). */
export function charterRuleLines(rules: CharterRules): string[] {
  const joined = (items: readonly string[]) => items.join(', ');
  return [
    rules.signatureRequired
      ? 'Signature obligatoire : une organisation qui n’a pas signé la version en vigueur ne peut ni proposer ni obtenir de données non ouvertes.'
      : 'Signature facultative : l’accès aux données ne dépend pas de la signature.',
    rules.personalDataAggregateOnly
      ? 'Données personnelles ou de santé : partagées en agrégats seulement.'
      : 'Données personnelles ou de santé : pas de restriction de la charte aux agrégats.',
    rules.personalDataEthicsReview
      ? 'Données personnelles ou de santé : examen préalable par la commission d’éthique.'
      : 'Données personnelles ou de santé : pas d’examen éthique imposé par la charte.',
    rules.prohibitedActions.length > 0
      ? `Toujours interdit, dans toute offre et tout contrat : ${joined(rules.prohibitedActions.map(actionLabel))}.`
      : 'Aucune action interdite par la charte elle-même.',
    rules.favouredPurposes.length > 0
      ? `Finalités favorisées (de meilleures conditions sont possibles) : ${joined(rules.favouredPurposes.map((p) => purposeLabel(p)))}.`
      : 'Aucune finalité favorisée.',
  ];
}

const NO_CHARTER_HINT =
  'Aucune charte éthique n’est publiée sur ce nœud : l’opérateur la publie avec « confiance charter publish --file charte.json ».';

/** The version in force, or null when none is published yet. */
export async function currentCharter(client: Client): Promise<CharterVersionView | null> {
  try {
    return await client.charter.current();
  } catch (error) {
    if (error instanceof ApiError && error.code === 'not_found') return null;
    throw error;
  }
}

/** A charter version by label, or the one in force; a missing one is named with where to look. */
export async function charterVersion(client: Client, version: string | undefined): Promise<CharterVersionView> {
  if (version === undefined) {
    const current = await currentCharter(client);
    if (!current) throw new ApiError(404, 'not_found', NO_CHARTER_HINT);
    return current;
  }
  try {
    return await client.charter.version(version);
  } catch (error) {
    if (error instanceof ApiError && error.code === 'not_found')
      throw new ApiError(
        error.status,
        error.code,
        `Charte version ${version} introuvable : les versions publiées sont listées par « confiance charter show --json » (champ version) ou sur la page Charte.`,
        error.details,
        error.requestId,
      );
    throw error;
  }
}
