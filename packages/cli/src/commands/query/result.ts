import type { QueryAccess, QueryResult } from '@confiance/contract';
import { DATA_USE_LABELS, labels } from '../../labels';
import { NONE, details, formatDay, formatNumber, plural, table, type Column } from '../../output';

export const MASKED = 'masqué';

function cellText(value: unknown): string {
  if (value === null || value === undefined) return NONE;
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

/**
 * The result as people read it: a protected cell says so where it stands — « masqué », or its
 * value marked « ≈ » when rounded — and the legend says which rules did it and how often.
 */
export function resultText(result: QueryResult): string {
  const fates = new Map(result.notes.map((n) => [`${n.row}:${n.column}`, n.fate] as const));
  const columns: Column<{ row: unknown[]; index: number }>[] = result.columns.map((c, i) => ({
    header: c.name,
    align: c.role === 'measure' ? 'right' : 'left',
    value: ({ row, index }) => {
      const fate = fates.get(`${index}:${c.name}`);
      if (fate === 'suppressed_primary' || fate === 'suppressed_secondary') return MASKED;
      const text = cellText(row[i]);
      return fate === 'rounded' ? `≈ ${text}` : text;
    },
  }));
  const lines: string[] = [];
  if (result.rows.length === 0) lines.push('Aucune ligne ne correspond à la requête : élargissez les filtres.');
  else
    lines.push(
      table(
        result.rows.map((row, index) => ({ row, index })),
        columns,
      ),
    );
  lines.push('', `${plural(result.rows.length, 'ligne')} · ${formatNumber(result.elapsedMs)} ms`);
  if (result.join)
    lines.push(`Jointure pseudonymisée avec ${result.join.dataset} (table ${result.join.table}, contrat ${result.join.contract}).`);
  if (result.disclosure) lines.push(disclosureLegend(result.disclosure));
  if (result.privacy) lines.push(privacyLegend(result.privacy));
  if (result.truncated)
    lines.push(
      `Résultat tronqué à ${plural(result.rowLimit, 'ligne')} : d’autres correspondent. Affinez la requête (filtres, regroupements) ou téléchargez-la en CSV ou Parquet.`,
    );
  return lines.join('\n');
}

/** An exact decimal (ε, δ) as French text: `0.15` → `0,15`, never through floating point. */
export const decimalText = (text: string): string => text.replace('.', ',');

const MECHANISM_LABELS: Record<NonNullable<QueryAccess['privacy']>['mechanism'], string> = {
  discrete_laplace: 'bruit de Laplace discret',
  discrete_gaussian: 'bruit gaussien discret',
};

/** Each measure's noise and the budget the query spent, under the result's table. */
function privacyLegend(privacy: NonNullable<QueryResult['privacy']>): string {
  return [
    'Confidentialité différentielle : chaque valeur porte un bruit aléatoire, tiré à nouveau à chaque requête.',
    ...privacy.measures.map((m) => `  ${m.column} : ± ${formatNumber(m.noise95)} à 95 % (${m.description})`),
    `Budget ε : ${decimalText(privacy.epsilonSpent)} dépensé par cette requête, reste ${decimalText(privacy.epsilonLeft)}.`,
  ].join('\n');
}

type Privacy = NonNullable<QueryAccess['privacy']>;

/** The grant's privacy budget: rows of the access details. */
function privacyDetails(p: Privacy): [string, string | null][] {
  return [
    ['Confidentialité différentielle', MECHANISM_LABELS[p.mechanism]],
    [
      'Budget ε',
      `reste ${decimalText(p.epsilonLeft)} sur ${decimalText(p.epsilon)} (${plural(p.queriesLeft, 'requête possible', 'requêtes possibles')})`,
    ],
    ['ε par requête', decimalText(p.epsilonPerQuery)],
    ['δ', p.delta === null ? null : decimalText(p.delta)],
    ['Bruit d’un comptage', `± ${formatNumber(p.countNoise95)} à 95 %`],
    [
      'Écrêtage des sommes',
      p.clipping.length > 0
        ? p.clipping.map((c) => `${c.column} ∈ [${formatNumber(c.lower)} ; ${formatNumber(c.upper)}]`).join(', ')
        : 'aucun : comptages seulement',
    ],
  ];
}

type Rules = NonNullable<QueryAccess['disclosure']>;

/** « effectifs ≤ 7 masqués, autres arrondis à 5 près », as the portal words them. */
export function disclosureRules(rules: Rules): string {
  const parts: string[] = [];
  if (rules.suppressAtOrBelow !== null) parts.push(`effectifs ≤ ${rules.suppressAtOrBelow} masqués`);
  if (rules.roundTo > 1) parts.push(`${rules.suppressAtOrBelow !== null ? 'autres' : 'effectifs'} arrondis à ${rules.roundTo} près`);
  if (rules.minUnits !== null) parts.push(`cases de moins de ${rules.minUnits} unités masquées`);
  if (rules.dominance !== null) parts.push(`cases où une unité pèse plus de ${Math.round(rules.dominance * 100)} % masquées`);
  return parts.length > 0 ? parts.join(', ') : 'aucune règle de seuil';
}

function disclosureLegend(disclosure: NonNullable<QueryResult['disclosure']>): string {
  const suppressed = `${formatNumber(disclosure.suppressed)} ${disclosure.suppressed > 1 ? 'cases masquées' : 'case masquée'}`;
  const rounded = `${formatNumber(disclosure.rounded)} ${disclosure.rounded > 1 ? 'arrondies' : 'arrondie'}`;
  return [
    `Contrôle du secret statistique : ${suppressed}, ${rounded} (${disclosureRules(disclosure)}).`,
    `« ≈ » : valeur arrondie ; « ${MASKED} » : valeur cachée (--json donne la raison de chaque case).`,
  ].join('\n');
}

const BASIS_LABELS: Record<NonNullable<QueryAccess['basis']>, string> = {
  open: 'données ouvertes',
  own: 'données de votre organisation',
  contract: 'contrat',
};

const ROLE_LABELS: Record<QueryAccess['tables'][number]['columns'][number]['role'], string> = {
  dimension: 'dimension (regrouper, filtrer)',
  count: 'effectif (protégé comme un comptage)',
  measure: 'mesure',
  value: 'valeur',
};

/** What the caller may compute on the dataset, and within which bounds. */
export function accessText(access: QueryAccess): string {
  if (!access.allowed) return `Requêtes non permises sur ${access.dataset} : ${access.reason ?? 'accès refusé.'}`;
  const quota = access.quota;
  const lines = [
    `Requêtes permises sur ${access.dataset}.`,
    '',
    details([
      ['Au titre de', access.basis ? BASIS_LABELS[access.basis] : NONE],
      ['Contrat', access.contract],
      ['Autres contrats', access.contracts.filter((c) => c !== access.contract).join(', ') || null],
      ['Usages', access.uses.length > 0 ? labels(DATA_USE_LABELS, access.uses) : NONE],
      ['Agrégats seulement', access.aggregateOnly ? 'oui' : 'non'],
      ['SQL restreint', access.sql ? 'oui' : 'non'],
      ['Fonctions', access.functions.join(', ') || NONE],
      ['Départements', access.departements.length > 0 ? access.departements.join(', ') : 'tous'],
      ['Lignes par réponse', formatNumber(access.rowLimit)],
      [
        'Quota',
        quota.max === null
          ? `aucun (${plural(quota.used, 'requête faite', 'requêtes faites')})`
          : `${formatNumber(quota.used)} / ${plural(quota.max, 'requête')}`,
      ],
      [
        'Aujourd’hui',
        quota.perDay === null ? plural(quota.today, 'requête') : `${formatNumber(quota.today)} / ${plural(quota.perDay, 'requête')}`,
      ],
      ['Valide jusqu’au', access.validUntil ? formatDay(access.validUntil) : null],
      [
        'Secret statistique',
        access.disclosure
          ? disclosureRules(access.disclosure)
          : access.privacy
            ? 'remplacé par le bruit de la confidentialité différentielle'
            : 'aucun (lignes visibles)',
      ],
      ...(access.privacy ? privacyDetails(access.privacy) : []),
    ]),
  ];
  if (access.privacy)
    lines.push(
      '',
      access.privacy.queriesLeft === 0
        ? `Budget de confidentialité épuisé : il reste ε = ${decimalText(access.privacy.epsilonLeft)}, une requête en dépense ${decimalText(access.privacy.epsilonPerQuery)}. Plus aucune requête sous ce contrat ; un avenant peut ouvrir un nouveau budget.`
        : 'Chaque requête ajoute un bruit aléatoire aux comptages et aux sommes, et dépense ε du budget du contrat : une fois le budget épuisé, plus aucune requête.',
    );
  const margins = access.disclosure?.margins ?? [];
  if (margins.length > 0) lines.push(`Totaux dans les données : ${margins.map((m) => `${m.column} = ${m.value}`).join(', ')}`);
  for (const t of access.tables) {
    lines.push('', `Table ${t.name}${access.sql ? ` (en SQL : ${t.relation})` : ''} :`);
    lines.push(
      table(t.columns, [
        { header: 'colonne', value: (c) => c.name },
        { header: 'type', value: (c) => c.type },
        { header: 'rôle', value: (c) => ROLE_LABELS[c.role] },
      ])
        .split('\n')
        .map((l) => `  ${l}`)
        .join('\n'),
    );
  }
  if (access.joins.length > 0) {
    lines.push('', 'Jointures pseudonymisées possibles (--join JEU --on clé=clé ; les clés n’apparaissent jamais dans les résultats) :');
    for (const j of access.joins)
      lines.push(
        `  ${j.dataset} — ${j.title} (${j.provider}), contrat ${j.contract}`,
        `    clés : ${j.leftKeys.join(', ')} ici, ${j.rightKeys.join(', ')} là-bas${j.aggregateOnly ? ' · agrégats seulement' : ''}`,
        ...j.tables.map((t) => `    colonnes : ${t.columns.map((c) => `${t.name}.${c.name}`).join(', ')}`),
      );
  }
  return lines.join('\n');
}
