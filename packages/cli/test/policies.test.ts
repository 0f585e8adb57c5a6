import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CharterSignatureView, Decision, DecisionView, OfferView } from '@confiance/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrganisation, makeUser, publishTestDataset, signInAs, tokenFor, type TestNode } from '../../server/test/harness';
import { buildProgram } from '../src/main';
import { baseEnv, listeningNode, run } from './run';

/**
 * `policies evaluate` on this machine (no node anywhere), then the charter and offers verbs against
 * a real node: the charter published from a file, signed by an org admin, offers built from a
 * template and refused with the path of the problem, the decision preview, retirement.
 */

const DATASET_IRI = 'https://confiance.test/datasets/qualite-air';
/** The typical research offer: five constraints, an attribution duty, the charter's prohibition. */
const OFFER = {
  '@context': ['http://www.w3.org/ns/odrl.jsonld', { cf: 'https://w3id.org/confiance/odrl#', dpv: 'https://w3id.org/dpv#' }],
  '@type': 'Offer',
  uid: 'https://confiance.test/offers/recherche',
  assigner: 'https://confiance.test/organisations/atmo',
  target: DATASET_IRI,
  permission: [
    {
      action: 'cf:queryAggregate',
      constraint: [
        { leftOperand: 'purpose', operator: 'isA', rightOperand: { '@id': 'dpv:ResearchAndDevelopment' } },
        { leftOperand: 'cf:partyType', operator: 'isAnyOf', rightOperand: ['research', 'public_body'] },
        { leftOperand: 'elapsedTime', operator: 'lteq', rightOperand: { '@value': 'P12M', '@type': 'xsd:duration' } },
        { leftOperand: 'dateTime', operator: 'lteq', rightOperand: { '@value': '2027-12-31', '@type': 'xsd:date' } },
        { leftOperand: 'spatial', operator: 'isAnyOf', rightOperand: ['FR'] },
      ],
      duty: [{ action: 'attribute' }],
    },
  ],
  prohibition: [{ action: 'cf:reidentify' }],
};

describe('confiance charter, offers and policies: the grammar', () => {
  const program = buildProgram({ serving: false });
  const verbs = (noun: string) => program.commands.find((c) => c.name() === noun)!.commands;

  it('has the verbs of each noun, each with --json and a French description', () => {
    expect(verbs('charter').map((c) => c.name())).toEqual(['show', 'status', 'sign', 'publish']);
    expect(verbs('offers').map((c) => c.name())).toEqual(['list', 'show', 'create', 'update', 'retire', 'evaluate']);
    expect(verbs('policies').map((c) => c.name())).toEqual(['evaluate']);
    for (const verb of ['charter', 'offers', 'policies'].flatMap(verbs)) {
      expect(verb.options.map((o) => o.long)).toContain('--json');
      expect(verb.description()).toMatch(/^[a-zé]/);
    }
  });
});

describe('confiance policies evaluate, on this machine', () => {
  let home: string;
  let env: Record<string, string>;
  const file = (name: string) => path.join(home, name);
  const cli = (args: string[]) => run(['policies', 'evaluate', '--policy', file('offre.jsonld'), ...args], env);
  const request = ['--action', 'cf:queryAggregate', '--target', DATASET_IRI, '--now', '2026-11-28T10:00:00Z'];

  beforeAll(async () => {
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'confiance-policies-'));
    // Nothing listens there: the evaluation must not need a node.
    env = { ...baseEnv(home), CONFIANCE_URL: 'http://127.0.0.1:9' };
    await fs.writeFile(file('offre.jsonld'), JSON.stringify(OFFER));
  });
  afterAll(async () => {
    if (home) await fs.rm(home, { recursive: true, force: true });
  });

  it('permits a request that meets every constraint (exit code 0), each constraint ticked with what was asked', async () => {
    const result = await cli([
      ...request,
      '--purpose',
      'dpv:AcademicResearch',
      '--party-type',
      'research',
      '--duration',
      '6',
      '--context',
      'spatial=FR',
      '--pending-duties',
      'allow',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('Accordé, sous réserve des conditions vérifiées à l’utilisation et des obligations à remplir.');
    expect(result.stdout).toContain(
      'Permission « interroger en agrégats » (permission[0]) : s’applique — toutes les conditions sont remplies\n',
    );
    expect(lines).toContain('  ✓ Finalité : Recherche et développement, ou une finalité plus précise — demandé : Recherche universitaire');
    expect(lines).toContain('  ✓ Type d’organisation : recherche ou organisme public — demandé : recherche');
    expect(lines).toContain('  ✓ Durée d’utilisation : au plus 12 mois — demandé : 6 mois');
    expect(lines).toContain('  ✓ Date : jusqu’au 31 décembre 2027 inclus — demandé : 28 novembre 2026');
    expect(lines).toContain('  ✓ Lieu de traitement : FR — demandé : FR');
    expect(lines).toContain('  … Obligation : citer la source — à accomplir lors de l’utilisation');
    expect(result.stdout).toMatch(
      /^Interdiction « réidentifier des personnes » \(prohibition\[0\]\) : ne s’applique pas — la règle porte sur « réidentifier des personnes », la demande sur « interroger en agrégats »$/m,
    );
  });

  it('denies a request that fails constraints (exit code 3), saying for each what was asked and what the policy wants', async () => {
    const result = await cli([
      ...request,
      '--purpose',
      'dpv:Marketing',
      '--party-type',
      'company',
      '--duration',
      'P2Y',
      '--pending-duties',
      'allow',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(3);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('Refusé : condition non remplie : Finalité : Recherche et développement, ou une finalité plus précise.');
    expect(lines).toContain(
      '  ✗ Finalité : Recherche et développement, ou une finalité plus précise — demandé : Marketing — ne correspond pas à « Recherche et développement, ou une finalité plus précise »',
    );
    expect(lines).toContain(
      '  ✗ Type d’organisation : recherche ou organisme public — demandé : entreprise — ne correspond pas à « recherche ou organisme public »',
    );
    expect(lines).toContain('  ✗ Durée d’utilisation : au plus 12 mois — demandé : 2 ans — ne correspond pas à « au plus 12 mois »');
    expect(lines).toContain('  ✓ Date : jusqu’au 31 décembre 2027 inclus — demandé : 28 novembre 2026');
    expect(lines).toContain('  ✗ Lieu de traitement : FR — la demande ne précise pas : lieu de traitement');
  });

  it('never lets a broader purpose through for a narrower one, and holds pending duties as ODRL does unless told otherwise', async () => {
    const narrow = { ...OFFER, permission: [{ ...OFFER.permission[0]!, constraint: [OFFER.permission[0]!.constraint[0]!] }] };
    narrow.permission[0]!.constraint[0] = { leftOperand: 'purpose', operator: 'isA', rightOperand: { '@id': 'dpv:AcademicResearch' } };
    await fs.writeFile(file('etroite.jsonld'), JSON.stringify(narrow));
    const broader = await run(
      ['policies', 'evaluate', '--policy', file('etroite.jsonld'), ...request, '--purpose', 'ResearchAndDevelopment', '--json'],
      env,
    );
    expect(broader.code).toBe(3);
    const decision = JSON.parse(broader.stdout) as Decision;
    expect(decision.rules[0]!.constraints[0]).toMatchObject({
      state: 'not_satisfied',
      reason: expect.stringMatching(/^demandé : Recherche et développement — ne correspond pas/),
    });

    const blocked = await run(
      ['policies', 'evaluate', '--policy', file('etroite.jsonld'), ...request, '--purpose', 'dpv:AcademicResearch'],
      env,
    );
    expect(blocked.code).toBe(3);
    expect(blocked.stdout).toMatch(/^Refusé : obligation pas encore accomplie : citer la source\.$/m);
    expect(blocked.stdout).toContain('  … Obligation : citer la source — doit être accomplie avant');
  });

  it('prints the Decision with --json, and reads a whole request from a file (a duty already performed)', async () => {
    await fs.writeFile(
      file('demande.json'),
      JSON.stringify({
        action: 'cf:queryAggregate',
        target: DATASET_IRI,
        assignee: 'https://confiance.test/organisations/labo',
        context: { purpose: 'dpv:ScientificResearch', 'cf:partyType': 'public_body', elapsedTime: 'P1Y', spatial: 'FR' },
        state: { now: '2027-12-31T00:00:00Z', duties: { attribute: 'fulfilled' } },
      }),
    );
    const result = await run(['policies', 'evaluate', '--policy', file('offre.jsonld'), '--request', file('demande.json'), '--json'], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const decision = JSON.parse(result.stdout) as Decision;
    expect(decision).toMatchObject({ outcome: 'permit', conditional: false, summary: 'Accordé : toutes les conditions sont remplies.' });
    expect(decision.rules.map((r) => [r.kind, r.state])).toEqual([
      ['permission', 'active'],
      ['prohibition', 'inactive'],
    ]);
    expect(decision.rules[0]!.constraints.map((c) => c.state)).toEqual(Array(5).fill('satisfied'));
    expect(decision.rules[0]!.duties[0]).toMatchObject({ action: 'attribute', state: 'fulfilled' });
  });

  it('refuses an invalid policy with each problem at its JSON path (exit code 1), and evaluates nothing', async () => {
    const broken = structuredClone(OFFER) as unknown as { permission: { action: string; constraint: Record<string, unknown>[] }[] };
    broken.permission[0]!.action = 'fly';
    broken.permission[0]!.constraint[2] = {
      leftOperand: 'elapsedTime',
      operator: 'isBigger',
      rightOperand: { '@value': 'douze mois', '@type': 'xsd:duration' },
    };
    await fs.writeFile(file('cassee.jsonld'), JSON.stringify(broken));
    const result = await run(['policies', 'evaluate', '--policy', file('cassee.jsonld'), ...request, '--json'], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')).toEqual([
      '  ✗ permission[0].action — « fly » n’est pas une action d’ODRL 2.2 ni du profil Confiance',
      '  ✗ permission[0].constraint[2].operator — opérateur inconnu « isBigger » : eq, neq, lt, lteq, gt, gteq, isA, hasPart, isPartOf, isAllOf, isAnyOf, isNoneOf',
      '  ✗ permission[0].constraint[2].rightOperand — « douze mois » n’est pas une valeur de durée ISO 8601 (xsd:duration, par exemple P12M) valide',
      `Erreur : Politique ODRL invalide (3 problèmes) : corrigez ${file('cassee.jsonld')} aux chemins indiqués. (invalid_policy)`,
      '',
    ]);
  });

  it('refuses a malformed request file with the path at fault, and contradictory or missing flags as usage errors', async () => {
    await fs.writeFile(
      file('mauvaise.json'),
      JSON.stringify({ action: 'use', context: { purpose: { '@id': 'dpv:X' } }, state: { now: 'demain' } }),
    );
    const bad = await run(['policies', 'evaluate', '--policy', file('offre.jsonld'), '--request', file('mauvaise.json')], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(
      /^Erreur : Demande invalide dans .*mauvaise\.json : context\.purpose — .* ; state\.now — une date ISO 8601 est attendue/,
    );

    const both = await cli(['--request', file('mauvaise.json'), '--purpose', 'dpv:AcademicResearch']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/^Erreur : --request donne la demande entière : retirez --purpose/);
    const nothing = await cli([]);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/^Erreur : Décrivez la demande : --action/);
    const typo = await cli([...request, '--purpose', 'AcademicResaerch']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/^Erreur : Valeur « AcademicResaerch » invalide pour --purpose <finalité> : finalité DPV inconnue/);
  });
});

const CHARTER = {
  version: '1.0',
  title: { fr: 'Charte éthique de test', en: 'Test ethics charter' },
  body: {
    fr: '# Charte\n\nLes membres partagent leurs données dans le respect des personnes.',
    en: '# Charter\n\nMembers share data respecting people.',
  },
  rules: {
    signatureRequired: true,
    personalDataAggregateOnly: true,
    personalDataEthicsReview: true,
    prohibitedActions: ['cf:reidentify', 'sell'],
    favouredPurposes: ['dpv:PublicBenefit', 'dpv:ResearchAndDevelopment'],
  },
};

describe('confiance charter and offers against a running node', () => {
  let node: TestNode;
  let home: string;
  let env: Record<string, string>;
  let provider: { id: string; slug: string };
  let consumer: { id: string; slug: string };
  let unsigned: { id: string; slug: string };
  let dataset: { id: string; slug: string };
  /** An API token per person: the CLI reads CONFIANCE_TOKEN before any stored login. */
  const tokens: Record<'operator' | 'providerAdmin' | 'steward' | 'consumerAdmin' | 'analyst' | 'outsider', string> = {
    operator: '',
    providerAdmin: '',
    steward: '',
    consumerAdmin: '',
    analyst: '',
    outsider: '',
  };
  const as = (who: keyof typeof tokens, args: string[]) => run(args, { ...env, CONFIANCE_TOKEN: tokens[who] });
  const file = (name: string) => path.join(home, name);
  const json = <T>(stdout: string) => JSON.parse(stdout) as T;

  beforeAll(async () => {
    ({ node, home, env } = await listeningNode('confiance-offers-'));
    provider = await makeOrganisation(node.ctx, { slug: 'atmo-test', shortName: 'Atmo Test', category: 'public_body' });
    consumer = await makeOrganisation(node.ctx, { slug: 'labo-test', shortName: 'Labo Test', category: 'research' });
    unsigned = await makeOrganisation(node.ctx, { slug: 'boite-test', shortName: 'Boîte Test', category: 'company' });
    const token = async (options: Parameters<typeof makeUser>[1]) =>
      tokenFor(node.app, await signInAs(node.app, (await makeUser(node.ctx, options)).email));
    tokens.operator = await token({ platformRoles: ['operator'] });
    tokens.providerAdmin = await token({ organisationId: provider.id, role: 'org_admin' });
    tokens.steward = await token({ organisationId: provider.id, role: 'data_steward' });
    tokens.consumerAdmin = await token({ organisationId: consumer.id, role: 'org_admin' });
    tokens.analyst = await token({ organisationId: consumer.id, role: 'analyst' });
    tokens.outsider = await token({ organisationId: unsigned.id, role: 'analyst' });
    dataset = await publishTestDataset(node.app, { authorization: `Bearer ${tokens.steward}` }, provider.slug, {
      slug: 'qualite-air-test',
      accessLevel: 'members',
      licence: 'odbl-1.0',
    });
    await fs.writeFile(file('charte.json'), JSON.stringify(CHARTER));
  });
  afterAll(async () => {
    await node?.close();
    if (home) await fs.rm(home, { recursive: true, force: true });
  });

  describe('the charter', () => {
    it('refuses an invalid charter file before sending it (exit code 2), naming the field', async () => {
      await fs.writeFile(
        file('fausse.json'),
        JSON.stringify({ ...CHARTER, rules: { ...CHARTER.rules, favouredPurposes: ['dpv:Nonsense'] } }),
      );
      const result = await as('operator', ['charter', 'publish', '--file', file('fausse.json')]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^Erreur : Charte invalide dans .*fausse\.json : rules\.favouredPurposes\.0 — finalité DPV inconnue/);
    });

    it('is published by the operator only, and is then in force', async () => {
      const refused = await as('providerAdmin', ['charter', 'publish', '--file', file('charte.json')]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/\(forbidden, [\w-]+\)\n$/);
      const published = await as('operator', ['charter', 'publish', '--file', file('charte.json')]);
      expect(published.stderr).toBe('');
      expect(published.code).toBe(0);
      expect(published.stdout).toMatch(
        /^Charte éthique version 1\.0 « Charte éthique de test » publiée : elle est en vigueur\.\nSHA-256 : [0-9a-f]{64}\n/,
      );
    });

    it('shows its text and the rules the platform applies, in French (or the text in English)', async () => {
      const fr = await as('analyst', ['charter', 'show']);
      expect(fr.code).toBe(0);
      expect(fr.stdout).toMatch(/^Charte éthique de test\nVersion +1\.0 \(en vigueur\)\n/);
      expect(fr.stdout).toContain('\n# Charte\n\nLes membres partagent leurs données dans le respect des personnes.\n');
      expect(fr.stdout).toContain('  - Données personnelles ou de santé : partagées en agrégats seulement.\n');
      expect(fr.stdout).toContain('  - Toujours interdit, dans toute offre et tout contrat : réidentifier des personnes, revendre.\n');
      expect(fr.stdout).toMatch(
        / {2}- Finalités favorisées \(de meilleures conditions sont possibles\) : [^\n]+, Recherche et développement\.\n/,
      );
      const en = await as('analyst', ['charter', 'show', '--version', '1.0', '--lang', 'en']);
      expect(en.stdout).toMatch(/^Test ethics charter\n/);
      expect(en.stdout).toContain('\n# Charter\n\nMembers share data respecting people.\n');
      expect(en.stdout).toContain('Règles appliquées par la plateforme :');
    });

    it('lists where each organisation stands, and whom the caller may sign for', async () => {
      const human = await as('consumerAdmin', ['charter', 'status']);
      expect(human.code).toBe(0);
      const lines = human.stdout.split('\n');
      expect(lines[0]).toMatch(/^ORGANISATION\s+NOM\s+CATÉGORIE\s+VERSION SIGNÉE\s+SIGNÉE LE\s+ÉTAT$/);
      expect(lines).toContainEqual(expect.stringMatching(/^labo-test\s+Labo Test\s+recherche\s+—\s+—\s+non signée$/));
      expect(human.stdout).toContain('Charte en vigueur : version 1.0 — signée par 0 sur 3 organisations.\n');
      expect(human.stdout).toContain('Vous pouvez la signer pour Labo Test : confiance charter sign labo-test\n');
      const list = json<{ items: CharterSignatureView[]; currentVersion: string }>(
        (await as('consumerAdmin', ['charter', 'status', '--json'])).stdout,
      );
      expect(list.currentVersion).toBe('1.0');
      expect(list.items.map((i) => i.organisation.slug).sort()).toEqual(['atmo-test', 'boite-test', 'labo-test']);
      expect(list.items.find((i) => i.organisation.slug === 'labo-test')).toMatchObject({ current: false, canSign: true });
    });

    it('is signed by an org admin, for the version in force, saying what was signed; not by an analyst', async () => {
      const analyst = await as('analyst', ['charter', 'sign', 'labo-test']);
      expect(analyst.code).toBe(1);
      expect(analyst.stderr).toMatch(/Seul un administrateur de l’organisation peut signer la charte pour elle\. \(forbidden, [\w-]+\)\n$/);

      const signed = await as('consumerAdmin', ['charter', 'sign', 'labo-test']);
      expect(signed.stderr).toBe('');
      expect(signed.code).toBe(0);
      const sha = json<{ sha256: string }>((await as('analyst', ['charter', 'show', '--json'])).stdout).sha256;
      expect(signed.stdout).toMatch(
        new RegExp(
          `^Charte éthique signée pour Labo Test \\(labo-test\\)\\.\\nVersion +1\\.0\\nTitre +Charte éthique de test\\nSHA-256 +${sha}\\nSignée le +\\d`,
        ),
      );
      const provider = await as('providerAdmin', ['charter', 'sign', 'atmo-test', '--json']);
      expect(json<CharterSignatureView>(provider.stdout)).toMatchObject({
        organisation: { slug: 'atmo-test' },
        signedVersion: '1.0',
        current: true,
      });
      const status = await as('consumerAdmin', ['charter', 'status']);
      expect(status.stdout).toMatch(/^labo-test\s+Labo Test\s+recherche\s+1\.0\s+\d.*\s+à jour$/m);
      expect(status.stdout).toContain('signée par 2 sur 3 organisations.');
    });
  });

  describe('offers', () => {
    let research: OfferView;

    it('creates an offer from a template: its defaults for the dataset, the flags over them, the charter’s prohibitions', async () => {
      const result = await as('steward', [
        'offers',
        'create',
        dataset.slug,
        '--template',
        'research_aggregate',
        '--duration',
        '6',
        '--departements',
        '34,31',
        '--exclude-purpose',
        'dpv:CommercialResearch',
        '--json',
      ]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      research = json<OfferView>(result.stdout);
      expect(research).toMatchObject({
        title: 'Recherche — agrégé uniquement',
        agreement: 'automatic', // a members-level dataset without personal data: no more is needed
        template: 'research_aggregate',
        uses: ['aggregate'],
        status: 'active',
        version: 1,
        terms: {
          purposes: ['dpv:ResearchAndDevelopment'],
          excludedPurposes: ['dpv:CommercialResearch'],
          partyTypes: ['research', 'public_body'],
          durationMonths: 6,
          departements: ['34', '31'],
          attribution: true,
        },
      });

      const members = await as('steward', [
        'offers',
        'create',
        dataset.slug,
        '--template',
        'members',
        '--title',
        'Membres — lignes et agrégats',
      ]);
      expect(members.code).toBe(0);
      expect(members.stdout).toMatch(/^Offre « Membres — lignes et agrégats » créée sur « .+ » \(qualite-air-test\)\.\n/);
      expect(members.stdout).toMatch(/^Modèle +Membres — accès automatique$/m);
      expect(members.stderr).toMatch(/^\nSa politique ODRL : confiance offers show [0-9a-f-]{36} --policy\n$/);
    });

    it('shows an offer’s rules in French, and its ODRL policy as JSON-LD', async () => {
      const human = await as('analyst', ['offers', 'show', research.id]);
      expect(human.code).toBe(0);
      expect(human.stdout).toMatch(/^Accord +Accord automatique$/m);
      expect(human.stdout).toMatch(/^Usages +agrégats$/m);
      expect(human.stdout).toContain('\nRègles :\n  Permission : interroger en agrégats\n');
      expect(human.stdout).toContain('    - Finalité : Recherche et développement, ou une finalité plus précise\n');
      expect(human.stdout).toContain('    - Durée d’utilisation : au plus 6 mois\n');
      expect(human.stdout).toMatch(/^ {2}Interdiction : réidentifier des personnes$/m);

      const policy = json<{
        '@type': string;
        permission: { action: string; constraint: { leftOperand: string; rightOperand: unknown }[] }[];
        prohibition: { action: string }[];
      }>((await as('analyst', ['offers', 'show', research.id, '--policy'])).stdout);
      expect(policy['@type']).toBe('Offer');
      expect(policy.permission.map((p) => p.action)).toEqual(['cf:queryAggregate']);
      expect(policy.permission[0]!.constraint).toContainEqual(
        expect.objectContaining({ leftOperand: 'elapsedTime', rightOperand: { '@value': 'P6M', '@type': 'xsd:duration' } }),
      );
      expect(policy.prohibition.map((p) => p.action)).toEqual(['cf:reidentify', 'sell']);
    });

    it('lists a dataset’s offers', async () => {
      const human = await as('analyst', ['offers', 'list', dataset.slug]);
      expect(human.code).toBe(0);
      expect(human.stdout).toMatch(/^ID\s+TITRE\s+ACCORD\s+USAGES\s+STATUT\s+VERSION\s+MODIFIÉE LE$/m);
      expect(human.stdout).toMatch(
        new RegExp(`^${research.id}\\s+Recherche — agrégé uniquement\\s+Accord automatique\\s+agrégats\\s+active\\s+1\\s+`, 'm'),
      );
      const list = json<{ items: OfferView[]; total: number }>((await as('analyst', ['offers', 'list', dataset.slug, '--json'])).stdout);
      expect(list.total).toBe(2);
    });

    it('refuses an ODRL policy the offer may not carry, printing each problem with its path (exit code 1)', async () => {
      await fs.writeFile(
        file('experte.jsonld'),
        JSON.stringify({
          '@context': ['http://www.w3.org/ns/odrl.jsonld', { cf: 'https://w3id.org/confiance/odrl#' }],
          '@type': 'Offer',
          permission: [
            { action: 'cf:queryAggregate', constraint: [{ leftOperand: 'cf:column', operator: 'isAnyOf', rightOperand: ['inconnue'] }] },
          ],
          prohibition: [{ action: 'cf:reidentify' }, { action: 'sell' }],
        }),
      );
      const result = await as('steward', [
        'offers',
        'create',
        dataset.slug,
        '--policy',
        file('experte.jsonld'),
        '--title',
        'Colonnes choisies',
        '--agreement',
        'provider_approval',
      ]);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(
        '  ✗ permission[0].constraint[0].rightOperand — la colonne « inconnue » n’existe pas dans la version courante\n',
      );
      expect(result.stderr).toMatch(/\nErreur : .*\(invalid_policy, [\w-]+\)\n$/);

      const mixed = await as('steward', ['offers', 'create', dataset.slug, '--policy', file('experte.jsonld'), '--duration', '6']);
      expect(mixed.code).toBe(2);
      expect(mixed.stderr).toMatch(/^Erreur : Avec --policy, la politique dit tout : retirez --duration/);
    });

    it('previews a decision through the node: permitted (exit 0) or denied with the reason of each constraint (exit 3)', async () => {
      const ok = await as('analyst', [
        'offers',
        'evaluate',
        research.id,
        '--organisation',
        'labo-test',
        '--purpose',
        'dpv:AcademicResearch',
        '--duration',
        '6',
      ]);
      expect(ok.stderr).toBe('');
      expect(ok.code).toBe(0);
      expect(ok.stdout).toMatch(/^Accordé/);
      expect(ok.stdout).toContain('\nCharte : ✓ charte éthique version 1.0 signée\n');
      expect(ok.stdout).toMatch(
        /^ {2}✓ Finalité : Recherche et développement, ou une finalité plus précise — demandé : Recherche universitaire$/m,
      );

      const marketing = await as('analyst', [
        'offers',
        'evaluate',
        research.id,
        '--organisation',
        'labo-test',
        '--purpose',
        'dpv:Marketing',
        '--duration',
        '24',
        '--json',
      ]);
      expect(marketing.code).toBe(3);
      const decision = json<DecisionView>(marketing.stdout);
      expect(decision.outcome).toBe('deny');
      const human = await as('analyst', [
        'offers',
        'evaluate',
        research.id,
        '--organisation',
        'labo-test',
        '--purpose',
        'dpv:Marketing',
        '--duration',
        '24',
      ]);
      expect(human.code).toBe(3);
      expect(human.stdout).toMatch(/^Refusé : /);
      expect(human.stdout).toMatch(
        /^ {2}✗ Finalité : Recherche et développement, ou une finalité plus précise — demandé : Marketing — ne correspond pas/m,
      );
      expect(human.stdout).toMatch(/^ {2}✗ Durée d’utilisation : au plus 6 mois — demandé : 24 mois — ne correspond pas/m);

      const outsider = await as('outsider', [
        'offers',
        'evaluate',
        research.id,
        '--organisation',
        'boite-test',
        '--purpose',
        'dpv:AcademicResearch',
        '--duration',
        '6',
      ]);
      expect(outsider.code).toBe(3);
      expect(outsider.stdout).toMatch(/^Charte : ✗ l’organisation n’a pas signé la charte éthique en vigueur \(version 1\.0\)/m);
    });

    it('updates an offer from its current terms: a new version', async () => {
      const result = await as('steward', ['offers', 'update', research.id, '--duration', '12', '--title', 'Recherche — agrégats, 12 mois']);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^Offre « Recherche — agrégats, 12 mois » modifiée \(version 2\)\.\n/);
      const offer = json<OfferView>((await as('steward', ['offers', 'show', research.id, '--json'])).stdout);
      // Only what was asked changed: the departements and the exclusion stay.
      expect(offer.terms).toMatchObject({ durationMonths: 12, departements: ['34', '31'], excludedPurposes: ['dpv:CommercialResearch'] });
    });

    it('retires an offer: gone from the list, kept with --all for its provider, no longer evaluated', async () => {
      const retired = await as('steward', ['offers', 'retire', research.id, '--reason', 'Remplacée par une offre annuelle']);
      expect(retired.code).toBe(0);
      expect(retired.stdout).toBe(
        'Offre « Recherche — agrégats, 12 mois » retirée : elle ne peut plus être demandée ; les contrats déjà conclus continuent.\n',
      );
      const active = json<{ items: OfferView[] }>((await as('steward', ['offers', 'list', dataset.slug, '--json'])).stdout);
      expect(active.items.map((o) => o.id)).not.toContain(research.id);
      const all = await as('steward', ['offers', 'list', dataset.slug, '--all']);
      expect(all.stdout).toMatch(new RegExp(`^${research.id}\\s+.*\\s+retirée\\s+\\d+\\s+`, 'm'));
      const evaluate = await as('analyst', [
        'offers',
        'evaluate',
        research.id,
        '--organisation',
        'labo-test',
        '--purpose',
        'dpv:AcademicResearch',
        '--duration',
        '6',
      ]);
      expect(evaluate.code).toBe(1);
      expect(evaluate.stderr).toMatch(/\(offer_retired, [\w-]+\)\n$/);
    });
  });

  describe('a new charter version', () => {
    it('must be signed again: signing the one read before it is refused as outdated, the one in force is accepted', async () => {
      await fs.writeFile(file('charte-1.1.json'), JSON.stringify({ ...CHARTER, version: '1.1' }));
      expect((await as('operator', ['charter', 'publish', '--file', file('charte-1.1.json')])).code).toBe(0);
      const outdated = await as('consumerAdmin', ['charter', 'sign', 'labo-test', '--version', '1.0']);
      expect(outdated.code).toBe(1);
      expect(outdated.stderr).toMatch(/« confiance charter sign labo-test »\. \(charter_outdated, [\w-]+\)\n$/);
      const signed = await as('consumerAdmin', ['charter', 'sign', 'labo-test']);
      expect(signed.code).toBe(0);
      expect(signed.stdout).toMatch(/^Version +1\.1$/m);
    });
  });
});
