import { AGREEMENT_LABEL, ApiError, FIVE_SAFES, type Client, type RequestView } from '@confiance/contract';
import { DATA_USE_LABELS, FIVE_SAFE_LABELS, REQUEST_STAGE_LABELS, REVIEW_DECISION_LABELS, label } from '../../labels';
import { details, formatDateTime, formatDay, print } from '../../output';
import { LEGEND, ruleLines } from '../policies/decision';

/** A REQUEST argument (its id), with a not-found message that says where requests are listed. */
export async function getRequest(client: Client, id: string): Promise<RequestView> {
  try {
    return await client.requests.get(id);
  } catch (error) {
    throw requestHint(error, id);
  }
}

/** Adds what to do next to the errors met when making or deciding a request. */
export function requestHint(error: unknown, id?: string): unknown {
  if (!(error instanceof ApiError)) return error;
  const hint: Partial<Record<string, string>> = {
    not_found:
      id === undefined
        ? 'Vérifiez l’offre (« confiance offers list JEU »), l’organisation (« confiance members list ») et le projet (« confiance projects list »).'
        : `Demande « ${id} » introuvable : « confiance requests list » liste vos demandes, « --inbox » celles à traiter (colonne ID).`,
    charter_not_signed: 'Un administrateur de l’organisation signe la charte avec « confiance charter sign ORGANISATION ».',
    offer_retired: 'Cette offre est retirée : « confiance offers list JEU » montre celles qui restent.',
    dataset_withdrawn: 'Ce jeu de données est retiré : plus aucun accès n’y est accordé.',
  };
  const more = hint[error.code];
  return more
    ? new ApiError(error.status, error.code, `${error.message.replace(/\s*$/, '')} ${more}`, error.details, error.requestId)
    : error;
}

const FORBIDDEN: Record<'approve' | 'reject' | 'withdraw', string> = {
  approve:
    'Seuls les responsables des données et les administrateurs de l’organisation fournisseuse décident de ses demandes — jamais des leurs.',
  reject:
    'Seuls les responsables des données et les administrateurs de l’organisation fournisseuse décident de ses demandes — jamais des leurs.',
  withdraw: 'Seuls les membres de l’organisation demandeuse retirent sa demande.',
};

/** Adds what to do next to the errors met when deciding or withdrawing a request. */
export function decisionHint(error: unknown, id: string, verb: 'approve' | 'reject' | 'withdraw'): unknown {
  if (error instanceof ApiError && error.code === 'forbidden')
    return new ApiError(
      error.status,
      error.code,
      `${error.message.replace(/\s*$/, '')} ${FORBIDDEN[verb]}`,
      error.details,
      error.requestId,
    );
  if (error instanceof ApiError && error.code === 'conflict')
    return new ApiError(
      error.status,
      error.code,
      `${error.message.replace(/\s*$/, '')} Où en est la demande : « confiance requests show ${id} ».`,
      error.details,
      error.requestId,
    );
  return requestHint(error, id);
}

/** Where the request stands now and what comes next, in one sentence. */
export function outcomeLine(request: RequestView): string {
  switch (request.stage) {
    case 'agreed':
      return `Demande accordée : contrat ${request.contract ?? '—'} conclu.`;
    case 'provider_review':
      return `Demande transmise à ${request.provider.name} (${request.provider.slug}) : elle attend son approbation.`;
    case 'ethics_review':
      return 'Demande transmise à la commission d’éthique : elle attend son examen (projet, personnes, environnement, données, résultats).';
    case 'refused':
      return `Demande refusée${request.reason ? ` : ${request.reason}` : '.'}`;
    case 'withdrawn':
      return `Demande retirée${request.reason ? ` : ${request.reason}` : '.'}`;
  }
}

/** The command to run next, when there is one. */
export function nextStep(request: RequestView): string | null {
  if (request.stage === 'agreed' && request.contract) return `Le contrat : confiance contracts show ${request.contract}`;
  if (request.can.approve) return `À traiter : confiance requests approve ${request.id} ou reject ${request.id} --reason …`;
  if (request.can.review) return `À examiner : confiance reviews decide ${request.id} --decision … (voir --help)`;
  return null;
}

const org = (o: { slug: string; name: string }) => `${o.name} (${o.slug})`;

export function printRequest(request: RequestView): void {
  print(
    details([
      ['Demande', request.id],
      ['Étape', `${label(REQUEST_STAGE_LABELS, request.stage)} (${request.state})`],
      ['Jeu de données', `${request.dataset.title} (${request.dataset.slug})`],
      ['Offre', `${request.offer.title} (version ${request.offer.version}) — ${AGREEMENT_LABEL[request.offer.agreement]}`],
      ['Fournisseur', org(request.provider)],
      ['Demandeur', org(request.consumer)],
      ['Projet', request.project ? `${request.project.title} (${request.project.id})` : null],
      ['Finalité', `${request.purposeLabel} (${request.purpose})`],
      ['Durée', `${request.durationMonths} mois`],
      ['Usage', label(DATA_USE_LABELS, request.use)],
      ['Utilisateurs', request.users.map((u) => `${u.displayName} <${u.email}>`).join(', ')],
      ['Demandée par', request.requestedBy],
      ['Demandée le', formatDateTime(request.createdAt)],
      ['Décidée le', request.decidedAt ? formatDateTime(request.decidedAt) : null],
      ['Motif', request.reason],
      ['Contrat', request.contract],
    ]),
  );
  print(`\nJustification :\n${request.justification}`);
  print(`\nDécision de l’évaluateur : ${request.decision.summary}`);
  for (const line of ruleLines(request.decision.rules)) print(`  ${line}`);
  print(`  ${LEGEND}`);
  const review = request.review;
  if (review) {
    print(
      `\nExamen éthique : ${review.state === 'pending' || !review.decision ? 'en attente' : label(REVIEW_DECISION_LABELS, review.decision)}`,
    );
    if (review.reviewer) print(`  Par ${review.reviewer}${review.decidedAt ? `, le ${formatDay(review.decidedAt)}` : ''}`);
    if (review.checklist)
      for (const safe of FIVE_SAFES) {
        const item = review.checklist[safe];
        if (item) print(`  ${item.safe ? '✓' : '✗'} ${FIVE_SAFE_LABELS[safe]} — ${item.note}`);
      }
    if (review.conditions) print(`  Conditions : ${review.conditions}`);
    if (review.reasons) print(`  Motifs : ${review.reasons}`);
  }
  const next = nextStep(request);
  if (next) print(`\n${next}`);
}
