import { ApiError, describePlan, type Client, type ContractView } from '@confiance/contract';
import { AMENDMENT_STATE_LABELS, CONTRACT_EVENT_LABELS, CONTRACT_STATE_LABELS, DATA_USE_LABELS, label, labels } from '../../labels';
import { NONE, details, formatDateTime, formatDay, formatNumber, print } from '../../output';
import { RULE_KIND_LABELS } from '../policies/decision';

/** A CONTRACT argument (its id), with a not-found message that says where contracts are listed. */
export async function getContract(client: Client, id: string): Promise<ContractView> {
  try {
    return await client.contracts.get(id);
  } catch (error) {
    throw contractHint(error, id);
  }
}

/** Adds what to do next to the errors met when reading or changing a contract. */
export function contractHint(error: unknown, id: string): unknown {
  if (!(error instanceof ApiError)) return error;
  const hint: Partial<Record<string, string>> = {
    not_found: `Contrat « ${id} » introuvable : « confiance contracts list » liste ceux de vos organisations (colonne ID).`,
    forbidden:
      'Le fournisseur (ses responsables des données et administrateurs) suspend et reprend un contrat ; les administrateurs de l’une ou l’autre partie le résilient et en négocient les avenants.',
    conflict: `Son état et ce qui reste possible : « confiance contracts show ${id} ».`,
  };
  const more = hint[error.code];
  return more
    ? new ApiError(error.status, error.code, `${error.message.replace(/\s*$/, '')} ${more}`, error.details, error.requestId)
    : error;
}

const org = (o: { slug: string; name: string }) => `${o.name} (${o.slug})`;

export function stateLine(contract: Pick<ContractView, 'state' | 'transferState' | 'terminationReason'>): string {
  const reason = contract.state === 'terminated' && contract.terminationReason ? ` — ${contract.terminationReason}` : '';
  return `${label(CONTRACT_STATE_LABELS, contract.state)} (${contract.transferState})${reason}`;
}

/** The grant as label/value lines; `indent` when it is a section of a longer page. */
export function printGrant(grant: ContractView['grant'], indent = ''): void {
  const lines = details([
    ['Usages', labels(DATA_USE_LABELS, grant.uses)],
    ['Colonnes', grant.columns.length > 0 ? grant.columns.join(', ') : 'toutes'],
    ['Départements', grant.departements.length > 0 ? grant.departements.join(', ') : 'tous'],
    ['Agrégats seulement', grant.aggregateOnly ? 'oui' : 'non'],
    ['Quota', grant.maxQueries === null ? 'aucun' : `${formatNumber(grant.maxQueries)} requêtes`],
    ['Tarif', describePlan(grant.plan).summary],
    ['Valide', `du ${formatDay(grant.validFrom)} au ${formatDay(grant.validUntil)}`],
    ['Utilisateurs', grant.users.length > 0 ? grant.users.join(', ') : NONE],
  ]);
  for (const line of lines.split('\n')) print(`${indent}${line}`);
}

export function printContract(contract: ContractView): void {
  print(
    details([
      ['Contrat', contract.id],
      ['URI', contract.uri],
      ['État', stateLine(contract)],
      ['Version', String(contract.version)],
      ['Jeu de données', `${contract.dataset.title} (${contract.dataset.slug})`],
      ['Offre', `${contract.offer.title} (version ${contract.offer.version})`],
      ['Fournisseur', org(contract.provider)],
      ['Preneur', org(contract.consumer)],
      ['Projet', contract.project ? `${contract.project.title} (${contract.project.id})` : null],
      ['Finalité', `${contract.purposeLabel} (${contract.purpose})`],
      ['Valide', `du ${formatDay(contract.validFrom)} au ${formatDay(contract.validUntil)}`],
      ['Demande', contract.request],
      ['Conclu le', formatDateTime(contract.createdAt)],
    ]),
  );
  print('\nRègles :');
  for (const rule of contract.rules) {
    print(`  ${RULE_KIND_LABELS[rule.kind] ?? rule.kind} : ${rule.actionLabel}`);
    for (const c of rule.constraints) print(`    - ${c}`);
    for (const duty of rule.duties) print(`    - obligation : ${duty}`);
  }
  if (contract.conditions) print(`\nConditions de la commission d’éthique : ${contract.conditions}`);
  print('\nAccès accordé :');
  printGrant(contract.grant, '  ');
  if (contract.events.length > 0) {
    print('\nHistorique :');
    for (const e of contract.events) {
      const who = [e.organisation, e.by ? `par ${e.by}` : null].filter(Boolean).join(', ');
      print(
        `  ${formatDateTime(e.at)}  ${label(CONTRACT_EVENT_LABELS, e.kind)} (version ${e.version})${who ? ` — ${who}` : ''}${e.reason ? ` : ${e.reason}` : ''}`,
      );
    }
  }
  const a = contract.pendingAmendment;
  if (a) {
    const changes = [
      a.durationMonths !== null ? `durée de ${a.durationMonths} mois` : null,
      a.latestOffer ? 'conditions actuelles de l’offre' : null,
    ].filter(Boolean);
    print(
      `\nAvenant ${label(AMENDMENT_STATE_LABELS, a.state)} par ${a.proposedBy.name} le ${formatDay(a.createdAt)} : ${changes.join(' et ')} — ${a.reason}`,
    );
    print(`  Avenant ${a.id}`);
  }
  for (const line of possibleActions(contract)) print(line);
}

function possibleActions(contract: ContractView): string[] {
  const id = contract.id;
  const can = contract.can;
  const verbs = [
    can.suspend ? `suspend ${id} --reason …` : null,
    can.resume ? `resume ${id} --reason …` : null,
    can.terminate ? `terminate ${id} --reason …` : null,
    can.amend ? `amend ${id} --duration N|--latest-offer --reason …` : null,
    can.acceptAmendment && contract.pendingAmendment ? `amendment ${id} ${contract.pendingAmendment.id} --accept|--reject` : null,
  ].filter((v): v is string => v !== null);
  return verbs.length > 0 ? ['\nVous pouvez :', ...verbs.map((v) => `  confiance contracts ${v}`)] : [];
}
