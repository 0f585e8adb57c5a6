import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ContractView, DecisionView, GrantView, OfferView, ProjectView, RequestView } from '@confiance/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrganisation, makeUser, publishTestDataset, signInAs, tokenFor, type TestNode } from '../../server/test/harness';
import { buildProgram } from '../src/main';
import { listeningNode, run } from './run';

/**
 * Projects, requests, ethics reviews and contracts from the terminal, against a real node: a
 * members offer agreed at once, another that waits for the provider (approved, refused, withdrawn),
 * one the ethics commission examines, then a contract's life — verified, printed, suspended,
 * amended, terminated.
 */

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const JUSTIFICATION = 'Étude de la pollution de l’air autour des écoles de l’Hérault';
const SAFES = [
  ['--safe', 'project=oui:recherche en santé publique, conforme à la charte'],
  ['--safe', 'personnes=oui:deux chercheurs habilités'],
  ['--safe', 'setting=oui:requêtes sur le nœud, rien n’est téléchargé'],
  ['--safe', 'données=oui:agrégats par département'],
  ['--safe', 'outputs=non:petits effectifs possibles'],
].flat();

describe('confiance projects, requests, reviews and contracts: the grammar', () => {
  const program = buildProgram({ serving: false });
  const verbs = (noun: string) => program.commands.find((c) => c.name() === noun)!.commands;

  it('has the verbs of each noun, each with --json and a French description', () => {
    expect(verbs('projects').map((c) => c.name())).toEqual(['create', 'list', 'show', 'update', 'members', 'datasets']);
    expect(verbs('requests').map((c) => c.name())).toEqual(['create', 'list', 'show', 'approve', 'reject', 'withdraw']);
    expect(verbs('reviews').map((c) => c.name())).toEqual(['list', 'decide']);
    expect(verbs('contracts').map((c) => c.name())).toEqual([
      'list',
      'show',
      'pdf',
      'grant',
      'suspend',
      'resume',
      'terminate',
      'amend',
      'amendment',
      'verify',
    ]);
    for (const verb of ['projects', 'requests', 'reviews', 'contracts'].flatMap(verbs)) {
      expect(verb.options.map((o) => o.long)).toContain('--json');
      expect(verb.description()).toMatch(/^[a-zé]/);
    }
  });
});

describe('confiance projects, requests, reviews and contracts against a running node', () => {
  let node: TestNode;
  let home: string;
  let env: Record<string, string>;
  let dataset: { id: string; slug: string };
  const offers = { members: '', approval: '', ethics: '' };
  /** An API token per person: the CLI reads CONFIANCE_TOKEN before any stored login. */
  const tokens: Record<'providerAdmin' | 'steward' | 'consumerAdmin' | 'analyst' | 'partnerAdmin' | 'reviewer', string> = {
    providerAdmin: '',
    steward: '',
    consumerAdmin: '',
    analyst: '',
    partnerAdmin: '',
    reviewer: '',
  };
  const as = (who: keyof typeof tokens, args: string[]) => run(args, { ...env, CONFIANCE_TOKEN: tokens[who] });
  const file = (name: string) => path.join(home, name);
  const json = <T>(stdout: string) => JSON.parse(stdout) as T;
  /** A request by the consumer's admin, for academic research over six months unless told otherwise. */
  const request = (offer: string, extra: string[] = []) =>
    as('consumerAdmin', [
      'requests',
      'create',
      offer,
      '--organisation',
      'labo-test',
      '--purpose',
      'dpv:AcademicResearch',
      '--duration',
      '6',
      '--justification',
      JUSTIFICATION,
      ...extra,
    ]);

  beforeAll(async () => {
    ({ node, home, env } = await listeningNode('confiance-contracts-'));
    const provider = await makeOrganisation(node.ctx, { slug: 'atmo-test', shortName: 'Atmo Test', category: 'public_body' });
    const consumer = await makeOrganisation(node.ctx, { slug: 'labo-test', shortName: 'Labo Test', category: 'research' });
    const partner = await makeOrganisation(node.ctx, { slug: 'chu-test', shortName: 'CHU Test', category: 'public_body' });
    const token = async (options: Parameters<typeof makeUser>[1]) =>
      tokenFor(node.app, await signInAs(node.app, (await makeUser(node.ctx, options)).email));
    tokens.providerAdmin = await token({ organisationId: provider.id, role: 'org_admin' });
    tokens.steward = await token({ organisationId: provider.id, role: 'data_steward' });
    tokens.consumerAdmin = await token({ organisationId: consumer.id, role: 'org_admin' });
    tokens.analyst = await token({ email: 'analyste@labo.test', organisationId: consumer.id, role: 'analyst' });
    tokens.partnerAdmin = await token({ organisationId: partner.id, role: 'org_admin' });
    tokens.reviewer = await token({ platformRoles: ['ethics_member'] });
    dataset = await publishTestDataset(node.app, { authorization: `Bearer ${tokens.steward}` }, provider.slug, {
      slug: 'qualite-air-test',
      accessLevel: 'members',
      licence: 'odbl-1.0',
    });
    const offer = async (args: string[]) => {
      const result = await as('steward', ['offers', 'create', dataset.slug, ...args, '--json']);
      if (result.code !== 0) throw new Error(`offers create: ${result.stderr}`);
      return json<OfferView>(result.stdout).id;
    };
    offers.members = await offer(['--template', 'members']);
    offers.approval = await offer(['--template', 'members', '--title', 'Membres — sur approbation', '--agreement', 'provider_approval']);
    offers.ethics = await offer(['--template', 'research_aggregate', '--agreement', 'ethics_review']);
  });
  afterAll(async () => {
    await node?.close();
    if (home) await fs.rm(home, { recursive: true, force: true });
  });

  let project: ProjectView;
  /** The contract agreed at once on the members offer: verified, printed, suspended, amended, terminated below. */
  let contract: string;

  describe('projects', () => {
    it('are declared by an admin of the lead organisation, with partners, and read back', async () => {
      const refused = await as('analyst', [
        'projects',
        'create',
        '--title',
        'Air et écoles',
        '--purpose',
        'dpv:ResearchAndDevelopment',
        '--lead',
        'labo-test',
      ]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(
        /Seul un administrateur de l’organisation porteuse \(--lead\) déclare un projet pour elle\. \(forbidden, [\w-]+\)\n$/,
      );

      const created = await as('consumerAdmin', [
        'projects',
        'create',
        '--title',
        'Air et écoles',
        '--purpose',
        'ResearchAndDevelopment',
        '--lead',
        'labo-test',
        '--partner',
        'chu-test',
        '--description',
        'Exposition des enfants à la pollution de l’air.',
      ]);
      expect(created.stderr).toMatch(new RegExp(`--project ${UUID} …\\n$`));
      expect(created.code).toBe(0);
      expect(created.stdout).toMatch(/^Projet « Air et écoles » créé\.\n\nTitre +Air et écoles\nIdentifiant +[0-9a-f-]{36}\n/);
      expect(created.stdout).toMatch(/^Finalité +Recherche et développement \(dpv:ResearchAndDevelopment\)$/m);
      expect(created.stdout).toMatch(/^Chef de file +Labo Test \(labo-test\)$/m);
      // The partner is invited: a party once its admin accepts.
      expect(created.stdout).toMatch(/^Partenaires +aucun$/m);
      expect(created.stdout).toMatch(/^Invitées +CHU Test \(chu-test\) — partenaire$/m);

      const list = json<{ items: ProjectView[] }>((await as('partnerAdmin', ['projects', 'list', '--json'])).stdout);
      expect(list.items.map((p) => p.title)).toEqual(['Air et écoles']);
      project = list.items[0]!;
      const accepted = await as('partnerAdmin', ['projects', 'members', project.id, 'accept', 'chu-test']);
      expect(accepted.code, accepted.stderr).toBe(0);
      expect(accepted.stdout).toMatch(/^chu-test a rejoint le projet\.$/m);
      expect(accepted.stdout).toMatch(/^chu-test +CHU Test +Partenaire +partenaire$/m);
      const shown = await as('consumerAdmin', ['projects', 'show', project.id]);
      expect(shown.code).toBe(0);
      expect(shown.stdout).toContain('\nExposition des enfants à la pollution de l’air.\n');
      const table = await as('consumerAdmin', ['projects', 'list']);
      expect(table.stdout).toMatch(new RegExp(`^${project.id}\\s+Air et écoles\\s+idée\\s+labo-test\\s+chu-test\\s+`, 'm'));
    });
  });

  describe('requests', () => {
    it('agrees at once a request on an automatic members offer: the decision constraint by constraint, then the contract', async () => {
      const result = await request(offers.members);
      expect(result.code).toBe(0);
      const lines = result.stdout.split('\n');
      expect(lines[0]).toMatch(/^Accordé/);
      expect(lines).toContain('Accord : Accord automatique');
      expect(result.stdout).toMatch(
        /^Permission « interroger en agrégats » \(permission\[\d\]\) : s’applique — toutes les conditions sont remplies$/m,
      );
      const agreed = new RegExp(`^Demande accordée : contrat (${UUID}) conclu\\.$`, 'm').exec(result.stdout);
      expect(agreed).not.toBeNull();
      contract = agreed![1]!;
      expect(result.stdout).toMatch(new RegExp(`^Demande ${UUID}$`, 'm'));
      expect(result.stderr).toBe(`Le contrat : confiance contracts show ${contract}\n`);
    });

    it('refuses with exit code 3 a request the evaluator denies, each constraint with its reason, and records nothing', async () => {
      const before = json<{ total: number }>((await as('consumerAdmin', ['requests', 'list', '--json'])).stdout).total;
      const human = await request(offers.ethics, ['--purpose', 'dpv:Marketing']);
      expect(human.code).toBe(3);
      expect(human.stdout).toMatch(/^Refusé : /);
      expect(human.stdout).toMatch(
        /^ {2}✗ Finalité : Recherche et développement, ou une finalité plus précise — demandé : Marketing — ne correspond pas/m,
      );
      expect(human.stderr).toMatch(/^\nDemande non enregistrée : ajustez-la/);
      const script = await request(offers.ethics, ['--purpose', 'dpv:Marketing', '--json']);
      expect(script.code).toBe(3);
      expect(json<DecisionView>(script.stdout)).toMatchObject({ outcome: 'deny', agreement: 'ethics_review' });
      expect(json<{ total: number }>((await as('consumerAdmin', ['requests', 'list', '--json'])).stdout).total).toBe(before);
    });

    it('sends a request to the provider, who finds it in the inbox and approves it: a contract', async () => {
      const created = await request(offers.approval, ['--user', 'analyste@labo.test', '--json']);
      expect(created.code).toBe(0);
      const pending = json<RequestView>(created.stdout);
      expect(pending).toMatchObject({ stage: 'provider_review', state: 'REQUESTED', contract: null });
      expect(pending.users.map((u) => u.email)).toEqual(['analyste@labo.test']);

      const inbox = await as('steward', ['requests', 'list', '--inbox']);
      expect(inbox.code).toBe(0);
      expect(inbox.stdout).toMatch(/^ID\s+JEU DE DONNÉES\s+DEMANDEUR\s+FINALITÉ\s+DURÉE\s+ÉTAPE\s+DEMANDÉE LE$/m);
      expect(inbox.stdout).toMatch(
        new RegExp(`^${pending.id}\\s+qualite-air-test\\s+labo-test\\s+Recherche universitaire\\s+6 mois\\s+chez le fournisseur\\s+`, 'm'),
      );
      expect(inbox.stdout).toContain('1 demande attend votre décision : confiance requests approve ID, ou reject ID --reason …\n');

      const own = await as('consumerAdmin', ['requests', 'approve', pending.id]);
      expect(own.code).toBe(1);
      expect(own.stderr).toMatch(/— jamais des leurs\. \(forbidden, [\w-]+\)\n$/);

      const approved = await as('steward', ['requests', 'approve', pending.id, '--reason', 'Bonne étude']);
      expect(approved.code).toBe(0);
      expect(approved.stdout).toMatch(new RegExp(`^Demande accordée : contrat ${UUID} conclu\\.\\n$`));
      const shown = await as('analyst', ['requests', 'show', pending.id]);
      expect(shown.code).toBe(0);
      expect(shown.stdout).toMatch(/^Étape +accordée \(FINALIZED\)$/m);
      expect(shown.stdout).toMatch(/^Utilisateurs +.+ <analyste@labo\.test>$/m);
      expect(shown.stdout).toContain(`\nJustification :\n${JUSTIFICATION}\n`);
      expect(shown.stdout).toMatch(/^Décision de l’évaluateur : Accordé/m);
    });

    it('lets the provider refuse with a reason the requester reads', async () => {
      const pending = json<RequestView>((await request(offers.approval, ['--json'])).stdout);
      const rejected = await as('steward', ['requests', 'reject', pending.id, '--reason', 'Réservé aux partenaires du réseau de mesure']);
      expect(rejected.code).toBe(0);
      expect(rejected.stdout).toBe(
        'Demande de Labo Test refusée ; le motif lui est communiqué : Réservé aux partenaires du réseau de mesure\n',
      );
      const shown = await as('consumerAdmin', ['requests', 'show', pending.id]);
      expect(shown.stdout).toMatch(/^Étape +refusée \(TERMINATED\)$/m);
      expect(shown.stdout).toMatch(/^Motif +Réservé aux partenaires du réseau de mesure$/m);
      const refused = json<{ items: RequestView[] }>(
        (await as('consumerAdmin', ['requests', 'list', '--stage', 'refused', '--json'])).stdout,
      );
      expect(refused.items.map((r) => r.id)).toEqual([pending.id]);
      const again = await as('steward', ['requests', 'approve', pending.id]);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(
        new RegExp(
          // (the node's wording is not pinned here: only that it says where the request stands, and the CLI's hint)
          `^Erreur : Cette demande a été refusée : .*\\. Où en est la demande : « confiance requests show ${pending.id} »\\. \\(conflict, `,
        ),
      );
    });

    it('lets the requester withdraw a pending request, which the provider can then no longer approve', async () => {
      const pending = json<RequestView>((await request(offers.approval, ['--json'])).stdout);
      const withdrawn = await as('consumerAdmin', ['requests', 'withdraw', pending.id, '--reason', 'Étude reportée à l’an prochain']);
      expect(withdrawn.code).toBe(0);
      expect(withdrawn.stdout).toBe('Demande retirée : Atmo Test n’a plus à la traiter.\n');
      const shown = await as('consumerAdmin', ['requests', 'show', pending.id, '--json']);
      expect(json<RequestView>(shown.stdout)).toMatchObject({ stage: 'withdrawn', reason: 'Étude reportée à l’an prochain' });
      const late = await as('steward', ['requests', 'approve', pending.id]);
      expect(late.code).toBe(1);
      expect(late.stderr).toMatch(/^Erreur : Cette demande a été retirée : /);
    });

    it('names a request it cannot find, and where requests are listed', async () => {
      const missing = await as('consumerAdmin', ['requests', 'show', '00000000-0000-4000-8000-000000000000']);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(
        /« confiance requests list » liste vos demandes, « --inbox » celles à traiter \(colonne ID\)\. \(not_found, /,
      );
    });
  });

  describe('the ethics review', () => {
    let pending: RequestView;

    it('queues a request on an ethics-review offer for the commission', async () => {
      const created = await request(offers.ethics, ['--project', project.id]);
      expect(created.code).toBe(0);
      expect(created.stdout).toContain('\nDemande transmise à la commission d’éthique : elle attend son examen');
      pending = json<{ items: RequestView[] }>(
        (await as('consumerAdmin', ['requests', 'list', '--stage', 'ethics_review', '--json'])).stdout,
      ).items[0]!;
      expect(pending.project).toMatchObject({ id: project.id, title: 'Air et écoles' });

      const queue = await as('reviewer', ['reviews', 'list']);
      expect(queue.code).toBe(0);
      expect(queue.stdout).toMatch(
        new RegExp(
          `^${pending.id}\\s+qualite-air-test\\s+labo-test \\(projet Air et écoles\\)\\s+Recherche universitaire\\s+6 mois\\s+`,
          'm',
        ),
      );
      expect(queue.stdout).toContain('\n1 demande à examiner.\n');
    });

    it('refuses an incomplete checklist or a decision without what it needs, before sending anything (exit code 2)', async () => {
      const missing = await as('reviewer', ['reviews', 'decide', pending.id, '--decision', 'approved', ...SAFES.slice(0, 6)]);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toBe(
        'Erreur : Les cinq volets sont à renseigner : il manque --safe data=oui|non:NOTE, --safe outputs=oui|non:NOTE.\n',
      );
      const noConditions = await as('reviewer', ['reviews', 'decide', pending.id, '--decision', 'conditions', ...SAFES]);
      expect(noConditions.code).toBe(2);
      expect(noConditions.stderr).toMatch(/^Erreur : Une approbation sous conditions dit lesquelles : ajoutez --conditions/);
      const typo = await as('reviewer', ['reviews', 'decide', pending.id, '--decision', 'approved', '--safe', 'projets=oui:très bien']);
      expect(typo.code).toBe(2);
      expect(typo.stderr).toMatch(/volet inconnu « projets » : project, people, setting, data, outputs\./);
    });

    it('is decided by a member of the commission only: approved with conditions, it goes to the provider', async () => {
      const outsider = await as('steward', ['reviews', 'decide', pending.id, '--decision', 'approved', ...SAFES]);
      expect(outsider.code).toBe(1);
      expect(outsider.stderr).toMatch(/Seuls les membres de la commission d’éthique rendent un examen\. \(forbidden, /);

      const decided = await as('reviewer', [
        'reviews',
        'decide',
        pending.id,
        '--decision',
        'conditions',
        ...SAFES,
        '--conditions',
        'Aucun résultat publié sous 11 personnes',
      ]);
      // The reviewer is no party to it: nothing more to do for them.
      expect(decided.stderr).toBe('');
      expect(decided.code).toBe(0);
      expect(decided.stdout).toBe(
        'Examen rendu : demande approuvée sous conditions.\nDemande transmise à Atmo Test (atmo-test) : elle attend son approbation.\n',
      );
      const shown = await as('consumerAdmin', ['requests', 'show', pending.id]);
      expect(shown.stdout).toContain('\nExamen éthique : approuvée sous conditions\n');
      expect(shown.stdout).toContain('  ✓ projet sûr — recherche en santé publique, conforme à la charte\n');
      expect(shown.stdout).toContain('  ✗ résultats sûrs — petits effectifs possibles\n');
      expect(shown.stdout).toContain('  Conditions : Aucun résultat publié sous 11 personnes\n');
      const decidedList = json<{ items: RequestView[] }>((await as('reviewer', ['reviews', 'list', '--decided', '--json'])).stdout);
      expect(decidedList.items.map((r) => r.id)).toEqual([pending.id]);
      expect(decidedList.items[0]!.review?.checklist?.people).toEqual({ safe: true, note: 'deux chercheurs habilités' });

      const approved = json<RequestView>((await as('steward', ['requests', 'approve', pending.id, '--json'])).stdout);
      expect(approved.stage).toBe('agreed');
      const shownContract = await as('partnerAdmin', ['contracts', 'show', approved.contract!]);
      expect(shownContract.code).toBe(0);
      expect(shownContract.stdout).toMatch(/^Projet +Air et écoles \(/m);
      expect(shownContract.stdout).toContain('\nConditions de la commission d’éthique : Aucun résultat publié sous 11 personnes\n');
    });
  });

  describe('a contract', () => {
    it('is listed and shown: parties, rules in French, the access granted, its history', async () => {
      const list = await as('consumerAdmin', ['contracts', 'list']);
      expect(list.code).toBe(0);
      expect(list.stdout).toMatch(/^ID\s+JEU DE DONNÉES\s+FOURNISSEUR\s+PRENEUR\s+ÉTAT\s+VERSION\s+JUSQU’AU$/m);
      expect(list.stdout).toMatch(new RegExp(`^${contract}\\s+qualite-air-test\\s+atmo-test\\s+labo-test\\s+actif\\s+1\\s+`, 'm'));
      expect(list.stdout).toContain('\n3 contrats.\n');

      const shown = await as('consumerAdmin', ['contracts', 'show', contract]);
      expect(shown.code).toBe(0);
      expect(shown.stdout).toMatch(new RegExp(`^Contrat +${contract}\\nURI +\\S+\\nÉtat +actif \\(STARTED\\)\\nVersion +1\\n`));
      expect(shown.stdout).toMatch(/^Fournisseur +Atmo Test \(atmo-test\)$/m);
      expect(shown.stdout).toMatch(/^Preneur +Labo Test \(labo-test\)$/m);
      expect(shown.stdout).toContain('\nRègles :\n  Permission : ');
      expect(shown.stdout).toMatch(/\nAccès accordé :\n {2}Usages +\S.*\n {2}Colonnes +toutes\n/);
      expect(shown.stdout).toContain('\nHistorique :\n');
      // Each party's acceptance is its own event: the consumer's by the person who asked, the provider's by its automatic offer.
      expect(shown.stdout).toMatch(/^ {2}\d\d\/\d\d\/\d{4} \d\d:\d\d {2}signé \(version 1\)$/m);
      expect(shown.stdout).toMatch(/^ {2}\d\d\/\d\d\/\d{4} \d\d:\d\d {2}accepté \(version 1\) — Labo Test, par \S/m);
      expect(shown.stdout).toMatch(/^ {2}\d\d\/\d\d\/\d{4} \d\d:\d\d {2}accepté \(version 1\) — Atmo Test$/m);
      expect(shown.stdout).toContain('\nVous pouvez :\n');
      expect(shown.stdout).toContain(`  confiance contracts terminate ${contract} --reason …\n`);

      const agreement = json<Record<string, unknown>>((await as('consumerAdmin', ['contracts', 'show', contract, '--agreement'])).stdout);
      expect(agreement['@type']).toBe('Agreement');
      const view = json<ContractView>((await as('consumerAdmin', ['contracts', 'show', contract, '--json'])).stdout);
      expect(agreement).toEqual(view.agreement);
      expect((await as('consumerAdmin', ['contracts', 'show', contract, '--jws'])).stdout).toBe(`${view.jws}\n`);
    });

    it('yields the grant the access module enforces', async () => {
      const human = await as('consumerAdmin', ['contracts', 'grant', contract]);
      expect(human.code).toBe(0);
      expect(human.stdout).toMatch(new RegExp(`^Accès accordé par le contrat ${contract} sur `));
      expect(human.stdout).toMatch(/^Valide +du \d+ \S+ \d{4} au \d+ \S+ \d{4}$/m);
      const grant = json<GrantView>((await as('consumerAdmin', ['contracts', 'grant', contract, '--json'])).stdout);
      expect(grant.contract).toBe(contract);
    });

    it('prints as a PDF, written to the file asked for, not over an existing one without --force', async () => {
      const result = await as('consumerAdmin', ['contracts', 'pdf', contract, '-o', file('contrat.pdf')]);
      expect(result.stderr).toMatch(/^SHA-256 [0-9a-f]{64}\n$/);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^Enregistré : .*contrat\.pdf \(\d/);
      const pdf = await fs.readFile(file('contrat.pdf'));
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const again = await as('consumerAdmin', ['contracts', 'pdf', contract, '-o', file('contrat.pdf')]);
      expect(again.code).toBe(2);
      expect(again.stderr).toMatch(/contrat\.pdf existe déjà : ajoutez --force/);
      const forced = await as('consumerAdmin', ['contracts', 'pdf', contract, '-o', home, '--force', '--json']);
      expect(forced.code).toBe(0);
      const written = json<{ file: string; bytes: number }>(forced.stdout);
      expect(path.dirname(written.file)).toBe(home);
      expect((await fs.readFile(written.file)).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    });

    it('verifies: the node’s contract key signed exactly the agreement shown — and not once either is altered (exit code 3)', async () => {
      const ok = await as('consumerAdmin', ['contracts', 'verify', contract]);
      expect(ok.stderr).toBe('');
      expect(ok.code).toBe(0);
      expect(ok.stdout).toMatch(/^✓ Signature : signature EdDSA valide, clé de contrat « [\w-]+ »$/m);
      expect(ok.stdout).toMatch(/^✓ Contenu : le contenu signé est l’accord ODRL du contrat, à l’identique$/m);
      expect(ok.stdout).toMatch(/^Vérifié : /m);

      const row = await node.ctx.db
        .selectFrom('contracts')
        .select(['jws', 'agreement'])
        .where('id', '=', contract)
        .executeTakeFirstOrThrow();
      const [h, p, s] = row.jws.split('.') as [string, string, string];
      try {
        // A signature altered by one character: the node (or its database) is not to be believed.
        const forged = `${h}.${p}.${s.startsWith('A') ? 'B' : 'A'}${s.slice(1)}`;
        await node.ctx.db.updateTable('contracts').set({ jws: forged }).where('id', '=', contract).execute();
        const bad = await as('consumerAdmin', ['contracts', 'verify', contract]);
        expect(bad.code).toBe(3);
        expect(bad.stdout).toMatch(/^✗ Signature : signature invalide pour la clé de contrat/m);
        expect(bad.stderr).toMatch(/^Erreur : Vérification échouée : signature invalide .*\(verification_failed\)\n$/);

        // The right signature, but the agreement shown is not the one signed: granted to someone else.
        const altered = { ...(row.agreement as Record<string, unknown>), assignee: 'http://confiance.test/organisations/boite-test' };
        await node.ctx.db
          .updateTable('contracts')
          .set({ jws: row.jws, agreement: JSON.stringify(altered) })
          .where('id', '=', contract)
          .execute();
        const swapped = await as('consumerAdmin', ['contracts', 'verify', contract, '--json']);
        expect(swapped.code).toBe(3);
        expect(json<{ verified: boolean; signature: { ok: boolean }; payload: { ok: boolean } }>(swapped.stdout)).toMatchObject({
          verified: false,
          signature: { ok: true },
          payload: { ok: false },
        });
      } finally {
        await node.ctx.db
          .updateTable('contracts')
          .set({ jws: row.jws, agreement: JSON.stringify(row.agreement) })
          .where('id', '=', contract)
          .execute();
      }
      expect((await as('consumerAdmin', ['contracts', 'verify', contract])).code).toBe(0);
    });

    it('verifies against a contract key kept from elsewhere (--key-file), and refuses another key', async () => {
      const served = await node.app.inject({ method: 'GET', url: '/api/v1/contract-key' });
      await fs.writeFile(file('cle-contrats.json'), served.body);
      const pinned = await as('consumerAdmin', ['contracts', 'verify', contract, '--key-file', file('cle-contrats.json'), '--json']);
      expect(pinned.code).toBe(0);
      expect(json<{ verified: boolean; keySource: string }>(pinned.stdout)).toMatchObject({ verified: true, keySource: 'file' });

      const other = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
      await fs.writeFile(file('autre-cle.json'), JSON.stringify({ kid: 'autre-cle', alg: 'EdDSA', jwk: other }));
      const wrong = await as('consumerAdmin', ['contracts', 'verify', contract, '--key-file', file('autre-cle.json')]);
      expect(wrong.code).toBe(3);
      expect(wrong.stdout).toMatch(/^✗ Signature : signé avec la clé « [\w-]+ », alors que la clé de contrat est « autre-cle »$/m);
    });

    it('is suspended and resumed with a reason', async () => {
      const suspended = await as('steward', ['contracts', 'suspend', contract, '--reason', 'Incident de sécurité chez le preneur']);
      expect(suspended.code).toBe(0);
      expect(suspended.stdout).toMatch(/^Contrat suspendu : Labo Test n’a plus accès à « .+ » jusqu’à sa reprise\.\n$/);
      expect(json<ContractView>((await as('consumerAdmin', ['contracts', 'show', contract, '--json'])).stdout)).toMatchObject({
        state: 'suspended',
        transferState: 'SUSPENDED',
      });
      const resumed = await as('steward', ['contracts', 'resume', contract, '--reason', 'Incident clos']);
      expect(resumed.code).toBe(0);
      expect(resumed.stdout).toMatch(/^Contrat repris : l’accès à « .+ » est rétabli jusqu’au /);
    });

    it('is amended: one party proposes, the other accepts, and the contract moves to version 2', async () => {
      const none = await as('consumerAdmin', ['contracts', 'amend', contract, '--reason', 'Prolonger']);
      expect(none.code).toBe(2);
      const proposed = await as('consumerAdmin', ['contracts', 'amend', contract, '--duration', '3', '--reason', 'Étude raccourcie']);
      expect(proposed.code).toBe(0);
      expect(proposed.stdout).toMatch(
        new RegExp(
          `^Avenant proposé : durée de 3 mois\\. Le contrat reste en version 1 tant que l’autre partie ne l’a pas accepté\\.\\nAvenant (${UUID})\\n$`,
        ),
      );
      const amendment = /Avenant ([0-9a-f-]{36})/.exec(proposed.stdout)![1]!;
      expect(proposed.stderr).toBe(
        `L’autre partie répond avec : confiance contracts amendment ${contract} ${amendment} --accept (ou --reject --reason …)\n`,
      );

      const both = await as('providerAdmin', ['contracts', 'amendment', contract, amendment, '--accept', '--reject']);
      expect(both.code).toBe(2);
      const own = await as('consumerAdmin', ['contracts', 'amendment', contract, amendment, '--accept']);
      expect(own.code).toBe(1);
      expect(own.stderr).toMatch(/^Erreur : L’avenant doit être accepté par l’autre partie\. /);
      const accepted = await as('providerAdmin', ['contracts', 'amendment', contract, amendment, '--accept']);
      expect(accepted.code).toBe(0);
      expect(accepted.stdout).toMatch(/^Avenant accepté : le contrat passe en version 2, valide jusqu’au /);
      const shown = await as('consumerAdmin', ['contracts', 'show', contract]);
      expect(shown.stdout).toMatch(/^Version +2$/m);
      expect(shown.stdout).toMatch(/ {2}avenant proposé \(version 1\) — .*: Étude raccourcie$/m);
      expect((await as('consumerAdmin', ['contracts', 'verify', contract])).code).toBe(0);
    });

    it('is terminated by either party, after a confirmation (or --yes), and is then shown terminated', async () => {
      const unconfirmed = await as('consumerAdmin', ['contracts', 'terminate', contract, '--reason', 'Étude terminée']);
      expect(unconfirmed.code).toBe(2);
      expect(unconfirmed.stderr).toBe('Erreur : Pas de terminal pour saisir la réponse : utilisez --yes.\n');

      const terminated = await as('consumerAdmin', ['contracts', 'terminate', contract, '--reason', 'Étude terminée', '--yes']);
      expect(terminated.code).toBe(0);
      expect(terminated.stdout).toMatch(/^Contrat résilié : plus aucun accès à « .+ » à ce titre\. Motif : Étude terminée\n$/);
      const shown = await as('steward', ['contracts', 'show', contract]);
      expect(shown.stdout).toMatch(/^État +résilié \(TERMINATED\) — Étude terminée$/m);
      expect(shown.stdout).toMatch(/ {2}résilié \(version 2\) — .*: Étude terminée$/m);
      expect(shown.stdout).not.toContain('Vous pouvez :');

      const again = await as('steward', ['contracts', 'suspend', contract, '--reason', 'Trop tard']);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(
        new RegExp(
          `est résilié : impossible de le suspendre\\. Son état et ce qui reste possible : « confiance contracts show ${contract} »\\. \\(conflict, `,
        ),
      );
    });
  });
});
