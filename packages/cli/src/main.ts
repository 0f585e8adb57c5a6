import { readFileSync } from 'node:fs';
import {
  ACCESS_LEVELS,
  AGREEMENT_MODES,
  CATALOG_DOMAINS,
  DATA_USES,
  DOMAINS,
  DOWNLOAD_FORMATS,
  EU_DATA_THEMES,
  FILE_FORMATS,
  FREQUENCIES,
  LICENCE_CODES,
  NEED_STATUSES,
  OFFER_TEMPLATES,
  ORGANISATION_CATEGORIES,
  PARTNER_ROLES,
  PROJECT_STATUSES,
  REQUEST_STAGES,
  REVIEW_DECISIONS,
  SEARCH_SORTS,
  STATEMENT_ROLES,
  TOKEN_SCOPES,
  MAJORITY_RULES,
  VOTE_CHOICES,
} from '@confiance/contract';
import { Command, Option } from 'commander';
import { DEFAULT_URL } from './api';
import { createOperatorCommand } from './commands/admin/create-operator';
import { login } from './commands/auth/login';
import { datasetsDeprecate } from './commands/datasets/deprecate';
import { datasetsDownload } from './commands/datasets/download';
import { datasetsList } from './commands/datasets/list';
import { datasetsPublish, UPLOAD_FORMATS } from './commands/datasets/publish';
import { datasetsSearch } from './commands/datasets/search';
import { datasetsShow } from './commands/datasets/show';
import { datasetsVersions } from './commands/datasets/versions';
import { datasetsWithdraw } from './commands/datasets/withdraw';
import { logout } from './commands/auth/logout';
import { billingInvoicesCreditNote } from './commands/billing/credit-note';
import { billingInvoicesDownload } from './commands/billing/download';
import { billingEstimate } from './commands/billing/estimate';
import { billingExport } from './commands/billing/export';
import { billingInvoicesList, billingInvoicesShow } from './commands/billing/invoices';
import { billingInvoicesIssue } from './commands/billing/issue';
import { period } from './commands/billing/billing';
import { billingSettingsSet, billingSettingsShow, parseCategory, percentOption } from './commands/billing/settings';
import { billingStatements } from './commands/billing/statements';
import { charterPublish } from './commands/charter/publish';
import { charterShow } from './commands/charter/show';
import { charterSign } from './commands/charter/sign';
import { charterStatus } from './commands/charter/status';
import { ledgerCheckpoint } from './commands/ledger/checkpoint';
import { ledgerKey } from './commands/ledger/key';
import { ledgerVerify } from './commands/ledger/verify';
import { ledgerWatch } from './commands/ledger/watch';
import { ledgerWitnessKey } from './commands/ledger/witness-key';
import { whoami } from './commands/auth/whoami';
import { membersList } from './commands/members/list';
import { membersShow } from './commands/members/show';
import { migrateCommand } from './commands/node/migrate';
import { offersCreate } from './commands/offers/create';
import { offersEvaluate } from './commands/offers/evaluate';
import { offersList } from './commands/offers/list';
import { offersRetire } from './commands/offers/retire';
import { offersShow } from './commands/offers/show';
import { offersUpdate } from './commands/offers/update';
import { policiesEvaluate } from './commands/policies/evaluate';
import { eventsIcs } from './commands/events/ics';
import { eventsList } from './commands/events/list';
import { eventsRegister } from './commands/events/register';
import { projectsCreate } from './commands/projects/create';
import { projectsList } from './commands/projects/list';
import { projectsShow } from './commands/projects/show';
import { needsAnswer } from './commands/needs/answer';
import { needsCreate } from './commands/needs/create';
import { needsList } from './commands/needs/list';
import { needsShow } from './commands/needs/show';
import { commissionsList, commissionsShow } from './commands/governance/commissions';
import { votesCast, votesClose, votesList, votesOpen, votesShow } from './commands/governance/votes';
import { projectsUpdate } from './commands/projects/update';
import { MEMBER_ACTIONS, projectsMembers } from './commands/projects/members';
import { DATASET_ACTIONS, projectsDatasets } from './commands/projects/datasets';
import { accumulate, parseJoinKeys, parseOrder, parseWhere, WHERE_HELP } from './commands/query/input';
import { parseClip, parsePrice } from './commands/offers/terms';
import { query, QUERY_FORMATS } from './commands/query/run';
import { requestsApprove } from './commands/requests/approve';
import { requestsCreate } from './commands/requests/create';
import { requestsList } from './commands/requests/list';
import { requestsReject } from './commands/requests/reject';
import { requestsShow } from './commands/requests/show';
import { requestsWithdraw } from './commands/requests/withdraw';
import { reviewsDecide } from './commands/reviews/decide';
import { reviewsList } from './commands/reviews/list';
import { SAFES_HELP, safeAnswer } from './commands/reviews/safes';
import { anyPurpose, dpvPurpose, duration, instant } from './commands/policies/options';
import { seedDemoCommand } from './commands/node/seed-demo';
import { serve } from './commands/node/serve';
import { tokensCreate } from './commands/tokens/create';
import { tokensList } from './commands/tokens/list';
import { tokensRevoke } from './commands/tokens/revoke';
import { contractsAmend } from './commands/contracts/amend';
import { contractsAmendment } from './commands/contracts/amendment';
import { contractsGrant } from './commands/contracts/grant';
import { contractsList } from './commands/contracts/list';
import { contractsPdf } from './commands/contracts/pdf';
import { contractsResume } from './commands/contracts/resume';
import { contractsShow } from './commands/contracts/show';
import { contractsSuspend } from './commands/contracts/suspend';
import { contractsTerminate } from './commands/contracts/terminate';
import { contractsVerify } from './commands/contracts/verify';
import { describeError, NegativeAnswer } from './errors';
import { departement, departementCode, OCCITANIE_CODES, region } from './geography';
import {
  anyCase,
  commanderExitCode,
  frenchHelp,
  integer,
  isCommanderError,
  isoDay,
  keyValue,
  list,
  oneOf,
  repeatable,
  text,
  translateCommanderError,
  uuid,
} from './help';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

const JSON_FLAG = ['--json', 'sortie JSON (pour les scripts)'] as const;

const ENVIRONMENT = `
Environnement :
  CONFIANCE_URL      nœud à utiliser (défaut : ${DEFAULT_URL})
  CONFIANCE_TOKEN    jeton d’API à utiliser à la place de la connexion enregistrée
  CONFIANCE_DEBUG=1  afficher la pile d’appels des erreurs
  serve, migrate, seed-demo et admin lisent la configuration du nœud (DATABASE_URL,
  CONFIANCE_DATA_DIR, PORT…) : voir le README.`;

/** The whole grammar of the CLI in one place; each action lives in src/commands/<noun>/<verb>.ts. */
export function buildProgram(state: { serving: boolean }): Command {
  const program = new Command('confiance')
    .description('Confiance — espace de données de confiance : faire tourner un nœud et l’utiliser depuis le terminal.')
    .configureHelp(frenchHelp)
    .configureOutput({ outputError: (text, write) => write(translateCommanderError(text)) })
    .helpOption('-h, --help', 'afficher l’aide')
    .helpCommand('help [commande]', 'afficher l’aide d’une commande')
    .version(version, '-V, --version', 'afficher la version')
    .showSuggestionAfterError()
    // `-V, --version` belongs before the noun: after it, `datasets download --version 2` is the dataset's version.
    .enablePositionalOptions()
    .exitOverride()
    .addHelpText('after', ENVIRONMENT);

  // Running a node

  program
    .command('serve')
    .description('faire tourner le nœud (comme `npm start`) jusqu’à Ctrl-C ou SIGTERM')
    .action(async () => {
      await serve();
      state.serving = true;
    });

  program
    .command('migrate')
    .description('appliquer les migrations à la base configurée (DATABASE_URL ou PGlite dans CONFIANCE_DATA_DIR)')
    .option(...JSON_FLAG)
    .action(migrateCommand);

  program
    .command('seed-demo')
    .description('migrer puis créer le consortium de démonstration (sans effet s’il existe déjà)')
    .option(...JSON_FLAG)
    .action(seedDemoCommand);

  const admin = program.command('admin').description('administration hors ligne du nœud (accès direct à la base)');
  admin
    .command('create-operator')
    .description('créer le premier opérateur d’un nœud hors démonstration, ou promouvoir un compte existant')
    .requiredOption('--email <adresse>', 'e-mail de l’opérateur')
    .requiredOption('--display-name <nom>', 'nom affiché')
    .option('--password-stdin', 'lire le mot de passe (12 caractères au moins) sur l’entrée standard au lieu de le demander')
    .option(...JSON_FLAG)
    .action(createOperatorCommand);

  // Signing in

  program
    .command('login')
    .description('se connecter : crée un jeton d’API « cli@<machine> » (lecture et écriture, 90 jours) et l’enregistre')
    .option('--email <adresse>', 'e-mail du compte (demandé s’il manque)')
    .option('--password-stdin', 'lire le mot de passe sur l’entrée standard au lieu de le demander')
    .option(...JSON_FLAG)
    .action(login);

  program.command('logout').description('révoquer le jeton enregistré sur le serveur et l’effacer de ce poste').action(logout);

  program
    .command('whoami')
    .description('afficher le compte connecté et ses organisations')
    .option(...JSON_FLAG)
    .action(whoami);

  // Using the node

  const members = program.command('members').description('annuaire des membres du consortium');
  members
    .command('list')
    .description('lister les membres')
    .option('--search <texte>', 'chercher dans les noms')
    .option('--category <catégorie>', `catégorie : ${ORGANISATION_CATEGORIES.join(', ')}`, oneOf(ORGANISATION_CATEGORIES))
    .option('--domain <domaine>', `domaine : ${DOMAINS.join(', ')}`, oneOf(DOMAINS))
    .option('--limit <n>', 'nombre maximal de résultats, de 1 à 200 (50 par défaut)', integer(1, 200))
    .option('--offset <n>', 'résultats à sauter, pour paginer', integer(0, Number.MAX_SAFE_INTEGER))
    .option(...JSON_FLAG)
    .action(membersList);
  members
    .command('show')
    .description('fiche d’un membre')
    .argument('<membre>', 'slug ou identifiant du membre')
    .option(...JSON_FLAG)
    .action(membersShow);

  const tokens = program.command('tokens').description('vos jetons d’API');
  tokens
    .command('list')
    .description('lister vos jetons')
    .option(...JSON_FLAG)
    .action(tokensList);
  tokens
    .command('create')
    .description('créer un jeton : son secret n’est affiché qu’une fois')
    .argument('<nom>', 'nom du jeton, pour le reconnaître (par exemple « import nocturne »)')
    .option('--scope <droit>', `droit accordé, répétable : ${TOKEN_SCOPES.join(', ')} (read par défaut)`, repeatable(oneOf(TOKEN_SCOPES)))
    .option('--expires-days <n>', 'durée de validité en jours, de 1 à 3650 (90 par défaut)', integer(1, 3650))
    .option('--no-expiry', 'jeton sans date d’expiration')
    .option(...JSON_FLAG)
    .action(tokensCreate);
  tokens
    .command('revoke')
    .description('révoquer un jeton : il est refusé dès la requête suivante')
    .argument('<id>', 'identifiant du jeton (ou son préfixe, ou son nom s’il est unique)')
    .option(...JSON_FLAG)
    .action(tokensRevoke);

  const datasets = program
    .command('datasets')
    .description('le catalogue : publier, chercher, consulter et télécharger des jeux de données');
  datasets
    .command('publish')
    .description('publier un fichier : nouveau jeu de données, ou nouvelle version avec --dataset')
    .argument('[fichier]', 'fichier à publier : CSV, TSV, JSON, NDJSON, GeoJSON, Parquet, ou flux GTFS zippé')
    .option('--organisation <organisation>', 'organisation productrice (slug ou identifiant), dont vous êtes responsable des données')
    .option('--title <titre>', 'titre en français')
    .option('--title-en <titre>', 'titre en anglais')
    .addOption(new Option('--description <texte>', 'description en français').conflicts('descriptionFile'))
    .option('--description-file <fichier>', 'description en français lue dans un fichier texte (UTF-8)')
    .option('--description-en <texte>', 'description en anglais')
    .option('--licence <licence>', `licence : ${LICENCE_CODES.join(', ')}`, oneOf(LICENCE_CODES))
    .option('--level <niveau>', `niveau d’accès : ${ACCESS_LEVELS.join(', ')}`, oneOf(ACCESS_LEVELS))
    .option('--keyword <mot>', 'mot-clé, répétable', repeatable(text))
    .option('--theme <thème>', `thème européen, répétable : ${EU_DATA_THEMES.join(', ')}`, repeatable(anyCase(oneOf(EU_DATA_THEMES))))
    .option('--domain <domaine>', `domaine, répétable : ${CATALOG_DOMAINS.join(', ')}`, repeatable(oneOf(CATALOG_DOMAINS)))
    .option('--departement <code>', `département couvert, répétable : ${OCCITANIE_CODES.join(', ')}`, repeatable(departement))
    .option('--region <code>', 'région couverte (code INSEE, 76 pour l’Occitanie), répétable', repeatable(region))
    .option('--frequency <fréquence>', `fréquence de mise à jour : ${FREQUENCIES.join(', ')}`, anyCase(oneOf(FREQUENCIES)))
    .option('--slug <slug>', 'slug du jeu de données (tiré du titre par défaut)')
    .option('--attribution <texte>', 'mention que les réutilisateurs doivent citer')
    .option(
      '--metadata <fichier.json>',
      'fichier JSON avec des champs de publication (contactPoint, temporal, columns…) ; les options l’emportent',
    )
    .option('--column-personal <table.colonne>', 'colonne de données personnelles (RGPD), répétable', repeatable(text))
    .option('--column-sensitive <table.colonne>', 'colonne sensible (santé, opinions… ou secret des affaires), répétable', repeatable(text))
    .option('--format <format>', `format du fichier, si son extension ne suffit pas : ${UPLOAD_FORMATS.join(', ')}`, oneOf(UPLOAD_FORMATS))
    .option('--dataset <jeu>', 'publier une nouvelle version de ce jeu de données (slug ou identifiant)')
    .option('--notes <texte>', 'notes de version')
    .option('--confirm-schema-change', 'accepter une version qui supprime, renomme, retype ou signale des colonnes')
    .option('--upload <id>', 'reprendre un fichier déjà envoyé au lieu de FICHIER (après un refus)')
    .option(...JSON_FLAG)
    .action(datasetsPublish);
  datasets
    .command('list')
    .description('lister le catalogue, du plus récent au plus ancien')
    .option('--publisher <organisation>', 'producteur (slug), répétable', repeatable(text))
    .option('--level <niveau>', `niveau d’accès, répétable : ${ACCESS_LEVELS.join(', ')}`, repeatable(oneOf(ACCESS_LEVELS)))
    .option('--include-withdrawn', 'inclure les jeux de données retirés')
    .option('--page <n>', 'page de résultats (1 par défaut)', integer(1, 10_000))
    .option('--page-size <n>', 'résultats par page, de 1 à 100 (20 par défaut)', integer(1, 100))
    .option(...JSON_FLAG)
    .action(datasetsList);
  datasets
    .command('search')
    .description('chercher dans le catalogue, avec filtres et décompte par facette')
    .argument('<recherche>', 'mots à chercher (titres, descriptions, mots-clés)')
    .option('--theme <thème>', `thème européen, répétable : ${EU_DATA_THEMES.join(', ')}`, repeatable(anyCase(oneOf(EU_DATA_THEMES))))
    .option('--domain <domaine>', `domaine, répétable : ${CATALOG_DOMAINS.join(', ')}`, repeatable(oneOf(CATALOG_DOMAINS)))
    .option('--publisher <organisation>', 'producteur (slug), répétable', repeatable(text))
    .option('--level <niveau>', `niveau d’accès, répétable : ${ACCESS_LEVELS.join(', ')}`, repeatable(oneOf(ACCESS_LEVELS)))
    .option('--licence <licence>', `licence, répétable : ${LICENCE_CODES.join(', ')}`, repeatable(oneOf(LICENCE_CODES)))
    .option('--departement <code>', 'département couvert (code INSEE, par exemple 34), répétable', repeatable(departementCode))
    .option('--format <format>', `format, répétable : ${FILE_FORMATS.join(', ')}`, repeatable(anyCase(oneOf(FILE_FORMATS))))
    .option('--frequency <fréquence>', `fréquence, répétable : ${FREQUENCIES.join(', ')}`, repeatable(anyCase(oneOf(FREQUENCIES))))
    .option('--sort <ordre>', `ordre : ${SEARCH_SORTS.join(', ')} (pertinence par défaut)`, oneOf(SEARCH_SORTS))
    .option('--include-withdrawn', 'inclure les jeux de données retirés')
    .option('--page <n>', 'page de résultats (1 par défaut)', integer(1, 10_000))
    .option('--page-size <n>', 'résultats par page, de 1 à 100 (20 par défaut)', integer(1, 100))
    .option(...JSON_FLAG)
    .action(datasetsSearch);
  datasets
    .command('show')
    .description('fiche d’un jeu de données : métadonnées, vos droits, tables et colonnes de la version en cours')
    .argument('<jeu>', 'slug ou identifiant du jeu de données')
    .option(...JSON_FLAG)
    .action(datasetsShow);
  datasets
    .command('versions')
    .description('historique des versions d’un jeu de données')
    .argument('<jeu>', 'slug ou identifiant du jeu de données')
    .option(...JSON_FLAG)
    .action(datasetsVersions);
  datasets
    .command('download')
    .description('télécharger les données, si le niveau d’accès vous le permet')
    .argument('<jeu>', 'slug ou identifiant du jeu de données')
    .option('--version <n>', 'numéro de version (la dernière par défaut)', integer(1, Number.MAX_SAFE_INTEGER))
    .option('--table <table>', 'table à télécharger (la première par défaut)')
    .option(
      '--format <format>',
      `format : ${DOWNLOAD_FORMATS.join(', ')} (parquet par défaut ; original : le fichier envoyé)`,
      oneOf(DOWNLOAD_FORMATS),
    )
    .option('-o, --output <fichier>', 'fichier ou dossier où écrire (nom proposé par le serveur par défaut), - pour la sortie standard')
    .option('--force', 'remplacer le fichier s’il existe')
    .option(...JSON_FLAG)
    .action(datasetsDownload);
  datasets
    .command('deprecate')
    .description('marquer un jeu de données obsolète : il reste lisible, signalé dans le catalogue')
    .argument('<jeu>', 'slug ou identifiant du jeu de données')
    .requiredOption('--note <texte>', 'pourquoi, et par quoi le remplacer')
    .option(...JSON_FLAG)
    .action(datasetsDeprecate);
  datasets
    .command('withdraw')
    .description('retirer un jeu de données : plus aucun nouvel accès à ses données')
    .argument('<jeu>', 'slug ou identifiant du jeu de données')
    .requiredOption('--reason <texte>', 'motif du retrait (visible dans le catalogue)')
    .option('--yes', 'ne pas demander de confirmation')
    .option(...JSON_FLAG)
    .action(datasetsWithdraw);

  const charter = program
    .command('charter')
    .description('la charte éthique : la lire, voir qui l’a signée, la signer pour son organisation');
  charter
    .command('show')
    .description('afficher la charte (texte Markdown) et les règles que la plateforme en applique')
    .option('--version <version>', 'version à afficher, par exemple 1.0 (celle en vigueur par défaut)')
    .option('--lang <langue>', 'langue du texte : fr ou en (fr par défaut ; les règles restent en français)', oneOf(['fr', 'en'] as const))
    .option(...JSON_FLAG)
    .action(charterShow);
  charter
    .command('status')
    .description('où en est chaque organisation : version signée, date, à jour ou à signer')
    .option(...JSON_FLAG)
    .action(charterStatus);
  charter
    .command('sign')
    .description('signer la charte pour une organisation dont vous êtes administrateur')
    .argument('<organisation>', 'slug ou identifiant de l’organisation')
    .option('--version <version>', 'version lue et signée (celle en vigueur par défaut ; refusée si elle ne l’est plus)')
    .option(...JSON_FLAG)
    .action(charterSign);
  charter
    .command('publish')
    .description('publier une nouvelle version de la charte (opérateur) : elle entre en vigueur aussitôt')
    .requiredOption('--file <charte.json>', 'fichier JSON : version, title {fr,en}, body {fr,en} (Markdown), rules')
    .option(...JSON_FLAG)
    .action(charterPublish);

  const offers = program
    .command('offers')
    .description('les offres d’un jeu de données : conditions d’accès en ODRL, construites à partir de modèles')
    .addHelpText(
      'after',
      `
Codes de sortie : 0 succès (evaluate : accordé), 1 échec (politique invalide, réseau…),
2 erreur d’usage, 3 evaluate : demande refusée.`,
    );
  const addTermOptions = (command: Command, creating: boolean) =>
    command
      .option('--title <titre>', creating ? 'titre de l’offre (celui du modèle par défaut)' : 'nouveau titre')
      .option('--description <texte>', 'description de l’offre')
      .option(
        '--agreement <mode>',
        `accord : ${AGREEMENT_MODES.join(', ')} (par défaut : le minimum qu’exigent le jeu et la charte)`,
        oneOf(AGREEMENT_MODES),
      )
      .option('--template <modèle>', `modèle : ${OFFER_TEMPLATES.join(', ')}`, oneOf(OFFER_TEMPLATES))
      .option('--uses <usages>', `usages permis, séparés par des virgules : ${DATA_USES.join(', ')}`, list(oneOf(DATA_USES)))
      .option(
        '--purpose <finalité>',
        'finalité DPV permise (une plus précise l’est aussi), répétable : dpv:ResearchAndDevelopment…',
        repeatable(dpvPurpose),
      )
      .option('--exclude-purpose <finalité>', 'finalité DPV exclue, répétable : dpv:CommercialPurpose…', repeatable(dpvPurpose))
      .option(
        '--party-type <catégorie>',
        `catégorie d’organisation admise, répétable : ${ORGANISATION_CATEGORIES.join(', ')}`,
        repeatable(oneOf(ORGANISATION_CATEGORIES)),
      )
      .option('--duration <mois>', 'durée d’utilisation maximale en mois, de 1 à 120', integer(1, 120))
      .option('--no-duration', 'sans limite de durée')
      .option('--columns <colonnes>', 'seules colonnes visibles, séparées par des virgules (table.colonne ou colonne)', list(text))
      .option(
        '--departements <codes>',
        'seules lignes de ces départements, codes INSEE séparés par des virgules : 34,30',
        list(departementCode),
      )
      .option('--max-queries <n>', 'nombre maximal de requêtes sur la durée du contrat', integer(1, 100_000_000))
      .option('--no-max-queries', 'sans quota de requêtes')
      .option('--valid-until <date>', 'dernier jour d’utilisation possible (AAAA-MM-JJ)', isoDay)
      .option('--no-valid-until', 'sans date de fin')
      .option('--attribution', 'exiger de citer la source (par défaut)')
      .option('--no-attribution', 'ne pas exiger de citer la source')
      .option(
        '--join-keys <colonnes>',
        'colonnes qui peuvent être jointes, pseudonymisées, à un autre jeu du même projet (dep,code_commune…)',
        list(text),
      )
      .option('--epsilon <ε>', 'confidentialité différentielle : budget ε du contrat (0 exclu à 20), en décimal : 1 ou 0.5')
      .option('--no-epsilon', 'sans confidentialité différentielle')
      .option('--epsilon-per-query <ε>', 'confidentialité différentielle : ε dépensé par requête, en décimal : 0.1')
      .option(
        '--clip <colonne:min:max>',
        'bornes d’écrêtage d’une mesure avant une somme bruitée, répétable : incid_hosp:0:50',
        repeatable(parseClip),
      )
      .option('--price-per-query <euros>', 'tarif : prix d’une requête en euros HT, décimales à la française : 0,50', parsePrice)
      .option('--price-per-1000-rows <euros>', 'tarif : prix de 1 000 lignes livrées en euros HT : 2,00', parsePrice)
      .option('--price-per-1000-cells <euros>', 'tarif : prix de 1 000 cellules livrées en euros HT : 0,10', parsePrice)
      .option('--subscription <euros>', 'tarif : abonnement mensuel en euros HT : 300', parsePrice)
      .option('--free', 'tarif : gratuit (par défaut, sauf le modèle commercial)')
      .option('--policy <fichier.jsonld>', 'politique ODRL 2.2 (JSON-LD compact) à la place du formulaire du modèle')
      .option(...JSON_FLAG);
  offers
    .command('list')
    .description('lister les offres d’un jeu de données')
    .argument('<jeu>', 'slug ou identifiant du jeu de données')
    .option('--all', 'inclure les offres retirées')
    .option(...JSON_FLAG)
    .action(offersList);
  offers
    .command('show')
    .description('afficher une offre et ses règles en français')
    .argument('<offre>', 'identifiant de l’offre (colonne ID de « offers list »)')
    .option('--policy', 'afficher sa politique ODRL 2.2 (JSON-LD)')
    .option(...JSON_FLAG)
    .action(offersShow);
  addTermOptions(
    offers
      .command('create')
      .description('créer une offre à partir d’un modèle (--template) ou d’une politique ODRL (--policy)')
      .argument('<jeu>', 'slug ou identifiant du jeu de données'),
    true,
  ).action(offersCreate);
  addTermOptions(
    offers
      .command('update')
      .description('modifier une offre : les options du formulaire partent de ses conditions actuelles')
      .argument('<offre>', 'identifiant de l’offre'),
    false,
  ).action(offersUpdate);
  offers
    .command('retire')
    .description('retirer une offre : elle ne peut plus être demandée')
    .argument('<offre>', 'identifiant de l’offre')
    .requiredOption('--reason <texte>', 'motif du retrait')
    .option(...JSON_FLAG)
    .action(offersRetire);
  offers
    .command('evaluate')
    .description('aperçu de décision par le nœud : cette organisation, pour cette finalité et cette durée, obtiendrait-elle l’offre ?')
    .argument('<offre>', 'identifiant de l’offre')
    .requiredOption('--organisation <organisation>', 'organisation demandeuse (slug ou identifiant)')
    .requiredOption('--purpose <finalité>', 'finalité DPV, par exemple dpv:AcademicResearch', dpvPurpose)
    .requiredOption('--duration <mois>', 'durée d’utilisation en mois, de 1 à 120', integer(1, 120))
    .option('--use <usage>', `usage demandé : ${DATA_USES.join(', ')} (le premier de l’offre par défaut)`, oneOf(DATA_USES))
    .option('--project <projet>', 'projet pour lequel les données seraient obtenues')
    .option(...JSON_FLAG)
    .action(offersEvaluate);

  const policies = program
    .command('policies')
    .description('politiques ODRL 2.2 : les évaluer sur ce poste, sans nœud')
    .addHelpText(
      'after',
      `
Codes de sortie : 0 accordé, 3 refusé, 1 politique ou demande invalide ou illisible, 2 erreur d’usage.`,
    );
  policies
    .command('evaluate')
    .description('évaluer une demande contre une politique, règle par règle et contrainte par contrainte, avec les raisons')
    .requiredOption('--policy <fichier>', 'politique ODRL 2.2 en JSON-LD compact (termes d’autres vocabulaires acceptés)')
    .option('--request <fichier>', 'la demande entière : JSON { action, target, assignee, context, state }')
    .option('--action <action>', 'action demandée : use, read, cf:queryAggregate…')
    .option('--target <iri>', 'ressource demandée (IRI)')
    .option('--assignee <iri>', 'partie qui demande (IRI)')
    .option('--purpose <finalité>', 'finalité : terme DPV (dpv:AcademicResearch) ou IRI d’un autre vocabulaire', anyPurpose)
    .option('--party-type <catégorie>', `catégorie de l’organisation (cf:partyType) : ${ORGANISATION_CATEGORIES.join(', ')}`)
    .option('--duration <mois>', 'durée d’utilisation (elapsedTime) : mois, ou durée ISO 8601 (P1Y)', duration)
    .option('--now <date>', 'instant de la demande, ISO 8601 (maintenant par défaut)', instant)
    .option('--context <clé=valeur>', 'autre valeur déclarée, par opérande gauche, répétable : spatial=FR, industry=72.19Z', keyValue)
    .option(
      '--pending-duties <mode>',
      'obligation pas encore remplie : block (bloque, sémantique ODRL, par défaut) ou allow (à remplir pendant l’usage)',
      oneOf(['allow', 'block'] as const),
    )
    .option(...JSON_FLAG)
    .action(policiesEvaluate);

  const commissions = program.command('commissions').description('commissions de l’association : membres, ordre du jour, documents, votes');
  commissions
    .command('list')
    .description('les cinq commissions, leurs membres et votes en cours')
    .option(...JSON_FLAG)
    .action(commissionsList);
  commissions
    .command('show')
    .description('fiche d’une commission : membres, ordre du jour, documents, votes')
    .argument('<commission>', 'slug de la commission (colonne Slug de « commissions list »)')
    .option(...JSON_FLAG)
    .action(commissionsShow);

  const votes = program
    .command('votes')
    .description('votes des commissions : quorum, majorité, décision inscrite au registre')
    .addHelpText(
      'after',
      '\nVoter deux fois ou clore un vote déjà clos répond 409 ; voter hors de la commission ou clore sans en être la présidence (ni l’opérateur) répond 403 (code de sortie 1).',
    );
  const VOTE_ID = [
    '<vote>',
    'identifiant du vote (colonne ID de « votes list »)',
    uuid('la colonne ID de « confiance votes list »'),
  ] as const;
  votes
    .command('list')
    .description('lister les votes, en cours d’abord')
    .option('--commission <slug>', 'une commission seulement')
    .option('--status <état>', 'open (en cours) ou closed (clos)', oneOf(['open', 'closed'] as const))
    .option(...JSON_FLAG)
    .action(votesList);
  votes
    .command('show')
    .description('un vote : règles, décompte, action en attente')
    .argument(...VOTE_ID)
    .option(...JSON_FLAG)
    .action(votesShow);
  votes
    .command('open')
    .description('ouvrir un vote dans une commission (présidence ou opérateur)')
    .requiredOption('--commission <slug>', 'commission qui vote')
    .requiredOption('--question <texte>', 'la question posée')
    .requiredOption('--closes <date>', 'clôture, ISO 8601 (2026-12-31T18:00:00+01:00)', instant)
    .option('--description <texte>', 'exposé des motifs')
    .option('--quorum <pourcentage>', 'part des membres qui doivent voter, de 0 à 100 (50 par défaut)', integer(0, 100))
    .option('--majority <règle>', `majorité : ${MAJORITY_RULES.join(', ')} (simple par défaut)`, oneOf(MAJORITY_RULES))
    .option(...JSON_FLAG)
    .action(votesOpen);
  votes
    .command('cast')
    .description('voter (membres de la commission, une fois)')
    .argument(...VOTE_ID)
    .argument('<choix>', `${VOTE_CHOICES.join(', ')}`, oneOf(VOTE_CHOICES))
    .option(...JSON_FLAG)
    .action(votesCast);
  votes
    .command('close')
    .description('clore un vote avant l’heure et le décider (présidence ou opérateur)')
    .argument(...VOTE_ID)
    .option(...JSON_FLAG)
    .action(votesClose);

  const projects = program
    .command('projects')
    .description('projets : une organisation porteuse et ses partenaires, à qui un contrat peut être accordé');
  projects
    .command('create')
    .description('déclarer un projet (administrateur de l’organisation porteuse)')
    .requiredOption('--title <titre>', 'titre du projet')
    .requiredOption('--purpose <finalité>', 'finalité DPV du projet : les demandes faites pour lui doivent s’y inscrire', dpvPurpose)
    .requiredOption('--lead <organisation>', 'organisation porteuse (slug ou identifiant), dont vous êtes administrateur')
    .option(
      '--partner <organisation[:rôle]>',
      `organisation invitée comme partenaire (slug ou identifiant, rôle : ${PARTNER_ROLES.join(', ')}), répétable`,
      repeatable(text),
    )
    .option('--description <texte>', 'description du projet')
    .option('--objective <texte>', 'objectif du projet')
    .option('--domain <domaine>', `domaine (${CATALOG_DOMAINS.join(', ')}), répétable`, repeatable(oneOf(CATALOG_DOMAINS)))
    .option('--territory <département>', 'code de département d’Occitanie (34, 30…), répétable', repeatable(text))
    .option('--status <statut>', 'statut de départ : idea (défaut), setup, running', oneOf(['idea', 'setup', 'running'] as const))
    .option(...JSON_FLAG)
    .action(projectsCreate);
  projects
    .command('list')
    .description('lister les projets de l’association')
    .option('--status <statut>', `statut (${PROJECT_STATUSES.join(', ')})`, oneOf(PROJECT_STATUSES))
    .option('--domain <domaine>', 'domaine', oneOf(CATALOG_DOMAINS))
    .option('--organisation <organisation>', 'organisation chef de file ou partenaire (slug)')
    .option('--search <texte>', 'mots du titre, de l’objectif ou de la description')
    .option(...JSON_FLAG)
    .action(projectsList);
  projects
    .command('show')
    .description('fiche d’un projet : statut, partenaires et rôles, jalons, financements, livrables, flux de données')
    .argument('<projet>', 'identifiant du projet (colonne ID de « projects list »)', uuid('la colonne ID de « confiance projects list »'))
    .option(...JSON_FLAG)
    .action(projectsShow);
  projects
    .command('update')
    .description('modifier un projet (administrateur du chef de file) : champs, statut idea → setup → running → closed, listes')
    .argument('<projet>', 'identifiant du projet (colonne ID de « projects list »)', uuid('la colonne ID de « confiance projects list »'))
    .option('--title <titre>', 'titre')
    .option('--objective <texte>', 'objectif')
    .option('--description <texte>', 'description')
    .option('--purpose <finalité>', 'finalité DPV', dpvPurpose)
    .option('--status <statut>', `statut (${PROJECT_STATUSES.join(', ')})`, oneOf(PROJECT_STATUSES))
    .option('--domain <domaine>', 'domaine, répétable (remplace la liste)', repeatable(oneOf(CATALOG_DOMAINS)))
    .option('--territory <département>', 'code de département, répétable (remplace la liste)', repeatable(text))
    .option('--lists <fichier.json>', 'fichier JSON { milestones, funding, deliverables } : chaque liste donnée remplace celle du projet')
    .option(...JSON_FLAG)
    .action(projectsUpdate);
  projects
    .command('members')
    .description('organisations du projet ; inviter (chef de file), accepter ou décliner (organisation invitée), retirer')
    .argument('<projet>', 'identifiant du projet (colonne ID de « projects list »)', uuid('la colonne ID de « confiance projects list »'))
    .argument('[action]', `list (défaut), invite, accept, decline, remove`, oneOf(MEMBER_ACTIONS))
    .argument('[organisation]', 'organisation concernée (slug)')
    .option('--role <rôle>', `rôle de l’invitée (${PARTNER_ROLES.join(', ')})`, oneOf(PARTNER_ROLES))
    .option(...JSON_FLAG)
    .action(projectsMembers);
  projects
    .command('datasets')
    .description(
      'jeux de données du projet (rattachés, demandés, sous contrat) ; rattacher ou détacher (administrateurs et gestionnaires de ses parties)',
    )
    .argument('<projet>', 'identifiant du projet (colonne ID de « projects list »)', uuid('la colonne ID de « confiance projects list »'))
    .argument('[action]', 'list (défaut), attach, detach', oneOf(DATASET_ACTIONS))
    .argument('[jeu]', 'jeu de données concerné (slug)')
    .option('--note <texte>', 'à quoi il sert dans le projet (attach)')
    .option(...JSON_FLAG)
    .action(projectsDatasets);

  const needs = program
    .command('needs')
    .description('tableau des besoins : les données que les membres cherchent et les réponses des fournisseurs')
    .addHelpText(
      'after',
      '\nUne organisation répond une seule fois à un besoin : une seconde réponse est refusée (409, code de sortie 1).',
    );
  const NEED_ID = [
    '<besoin>',
    'identifiant du besoin (colonne ID de « needs list »)',
    uuid('la colonne ID de « confiance needs list »'),
  ] as const;
  needs
    .command('list')
    .description('lister les besoins (public), les plus récents d’abord')
    .option('--status <statut>', 'open, answered, project ou closed', oneOf(NEED_STATUSES))
    .option('--domain <domaine>', `domaine : ${DOMAINS.join(', ')}`, oneOf(DOMAINS))
    .option('--organisation <organisation>', 'organisation qui cherche (slug ou identifiant)')
    .option('--search <texte>', 'texte dans le titre, la description ou le nom de l’organisation')
    .option(...JSON_FLAG)
    .action(needsList);
  needs
    .command('show')
    .description('un besoin et ses réponses')
    .argument(...NEED_ID)
    .option(...JSON_FLAG)
    .action(needsShow);
  needs
    .command('create')
    .description('publier un besoin pour votre organisation')
    .requiredOption('--organisation <organisation>', 'votre organisation (slug ou identifiant)')
    .requiredOption('--title <titre>', 'intitulé du besoin (5 caractères au moins)')
    .requiredOption('--description <texte>', 'quelles données, à quelle finesse, pour quoi faire (20 caractères au moins)')
    .requiredOption('--domain <domaine>', `domaine : ${DOMAINS.join(', ')}`, oneOf(DOMAINS))
    .requiredOption('--purpose <finalité>', 'finalité DPV, par exemple dpv:AcademicResearch', dpvPurpose)
    .option('--territory <code>', 'code de département d’Occitanie ou « Occitanie » (défaut), répétable', repeatable(text))
    .option('--wanted-by <date>', 'date souhaitée, AAAA-MM-JJ', isoDay)
    .option(...JSON_FLAG)
    .action(needsCreate);
  needs
    .command('answer')
    .description('répondre à un besoin (responsable des données ou administrateur du fournisseur)')
    .argument(...NEED_ID)
    .requiredOption('--organisation <organisation>', 'organisation qui répond (slug ou identifiant)')
    .option('--dataset <jeu>', 'un jeu de données que votre organisation publie (slug)')
    .option('--plan <date>', 'la date de publication prévue, AAAA-MM-JJ', isoDay)
    .option('--refuse <raison>', 'un refus motivé (20 caractères au moins)')
    .option('--message <texte>', 'un mot pour l’auteur du besoin (avec --dataset ou --plan)')
    .option(...JSON_FLAG)
    .action(needsAnswer);

  const events = program
    .command('events')
    .description('événements du réseau : ateliers, hackathons, webinaires, réunions ; inscription et agenda (.ics)')
    .addHelpText('after', '\nUn événement complet, clos ou auquel vous êtes déjà inscrit·e répond 409 (code de sortie 1).');
  const EVENT_ID = [
    '<événement>',
    'identifiant de l’événement (colonne ID de « events list »)',
    uuid('la colonne ID de « confiance events list »'),
  ] as const;
  events
    .command('list')
    .description('lister les événements à venir (ou passés avec --past), places restantes et vos inscriptions')
    .option('--past', 'les événements passés')
    .option(...JSON_FLAG)
    .action(eventsList);
  events
    .command('register')
    .description('s’inscrire à un événement (ou annuler son inscription avec --cancel)')
    .argument(...EVENT_ID)
    .option('--cancel', 'annuler mon inscription')
    .option(...JSON_FLAG)
    .action(eventsRegister);
  events
    .command('ics')
    .description('le fichier iCalendar d’un événement, ou sans identifiant le flux des événements à venir')
    .argument(
      '[événement]',
      'identifiant de l’événement (sans : le flux de tous les événements à venir)',
      uuid('la colonne ID de « confiance events list »'),
    )
    .option('-o, --output <fichier>', 'écrire dans ce fichier ou ce dossier (sinon : sortie standard)')
    .option('--force', 'remplacer un fichier existant')
    .action(eventsIcs);

  const requests = program
    .command('requests')
    .description('demandes d’accès : demander une offre, suivre, approuver ou refuser, retirer')
    .addHelpText(
      'after',
      `
Codes de sortie : 0 succès, 1 échec (refus du nœud, réseau…), 2 erreur d’usage,
3 create : demande refusée par l’évaluateur (sa décision est affichée, rien n’est enregistré).`,
    );
  const REQUEST_ID = [
    '<demande>',
    'identifiant de la demande (colonne ID de « requests list »)',
    uuid('la colonne ID de « confiance requests list » (--inbox pour celles à traiter)'),
  ] as const;
  requests
    .command('create')
    .description('demander une offre : la décision contrainte par contrainte, puis le contrat si l’accord est immédiat')
    .argument(
      '<offre>',
      'identifiant de l’offre (colonne ID de « offers list JEU »)',
      uuid('la colonne ID de « confiance offers list JEU »'),
    )
    .requiredOption('--organisation <organisation>', 'organisation demandeuse (slug ou identifiant), dont vous êtes membre')
    .requiredOption('--purpose <finalité>', 'finalité DPV, par exemple dpv:AcademicResearch', dpvPurpose)
    .requiredOption('--duration <mois>', 'durée d’utilisation en mois, de 1 à 120', integer(1, 120))
    .requiredOption('--justification <texte>', 'pourquoi ces données (10 caractères au moins), lu par le fournisseur et la commission')
    .option('--use <usage>', `usage demandé : ${DATA_USES.join(', ')} (le premier de l’offre par défaut)`, oneOf(DATA_USES))
    .option(
      '--project <projet>',
      'projet (identifiant) pour lequel les données sont demandées : le contrat lui est accordé',
      uuid('la colonne ID de « confiance projects list »'),
    )
    .option('--user <e-mail>', 'personne qui utilisera les données, répétable (vous par défaut)', repeatable(text))
    .option(...JSON_FLAG)
    .action(requestsCreate);
  requests
    .command('list')
    .description('les demandes de vos organisations, ou celles qu’elles ont à traiter (--inbox)')
    .option('--inbox', 'les demandes reçues par vos organisations, comme fournisseur')
    .option('--stage <étape>', `seulement à cette étape : ${REQUEST_STAGES.join(', ')}`, oneOf(REQUEST_STAGES))
    .option(...JSON_FLAG)
    .action(requestsList);
  requests
    .command('show')
    .description('une demande : ses termes, la décision de l’évaluateur, l’examen éthique, le motif, le contrat')
    .argument(...REQUEST_ID)
    .option(...JSON_FLAG)
    .action(requestsShow);
  requests
    .command('approve')
    .description('approuver une demande reçue (fournisseur) : le contrat est conclu, ou la commission d’éthique l’examine')
    .argument(...REQUEST_ID)
    .option('--reason <texte>', 'mot pour le demandeur')
    .option(...JSON_FLAG)
    .action(requestsApprove);
  requests
    .command('reject')
    .description('refuser une demande reçue (fournisseur), avec un motif que le demandeur lira')
    .argument(...REQUEST_ID)
    .requiredOption('--reason <texte>', 'motif du refus')
    .option(...JSON_FLAG)
    .action(requestsReject);
  requests
    .command('withdraw')
    .description('retirer une de vos demandes encore en attente')
    .argument(...REQUEST_ID)
    .requiredOption('--reason <texte>', 'pourquoi vous la retirez')
    .option(...JSON_FLAG)
    .action(requestsWithdraw);

  const reviews = program.command('reviews').description('la commission d’éthique : demandes à examiner, examen selon les Five Safes');
  reviews
    .command('list')
    .description('les demandes qui attendent l’examen de la commission, ou celles déjà examinées (--decided)')
    .option('--decided', 'les examens rendus')
    .option(...JSON_FLAG)
    .action(reviewsList);
  reviews
    .command('decide')
    .description('rendre l’examen d’une demande : les cinq volets, puis approuver, approuver sous conditions ou rejeter')
    .argument(...REQUEST_ID)
    .requiredOption('--decision <décision>', `décision : ${REVIEW_DECISIONS.join(', ')}`, oneOf(REVIEW_DECISIONS))
    .option('--safe <volet=oui:note>', 'un volet des Five Safes jugé sûr (oui) ou non, avec sa note ; les cinq sont exigés', safeAnswer)
    .option('--conditions <texte>', 'conditions que le demandeur devra respecter (exigé avec --decision conditions)')
    .option('--reasons <texte>', 'motifs, lus par le demandeur (exigé avec --decision rejected)')
    .option(...JSON_FLAG)
    .addHelpText('after', SAFES_HELP)
    .action(reviewsDecide);

  const contracts = program
    .command('contracts')
    .description('contrats : l’accord ODRL signé, son cycle de vie (suspension, résiliation, avenants), sa vérification')
    .addHelpText(
      'after',
      `
Codes de sortie : 0 succès, 1 échec (refus du nœud, réseau…), 2 erreur d’usage,
3 verify : la signature ou le contenu de l’accord ne tient pas.`,
    );
  const CONTRACT_ID = [
    '<contrat>',
    'identifiant du contrat (colonne ID de « contracts list »)',
    uuid('la colonne ID de « confiance contracts list »'),
  ] as const;
  const REASON = ['--reason <texte>', 'motif, enregistré au registre et lu par l’autre partie'] as const;
  contracts
    .command('list')
    .description('les contrats de vos organisations, comme fournisseur ou preneur')
    .option(...JSON_FLAG)
    .action(contractsList);
  contracts
    .command('show')
    .description('un contrat : parties, règles en français, accès accordé, historique, avenant en attente')
    .argument(...CONTRACT_ID)
    .option('--agreement', 'afficher l’accord ODRL 2.2 (JSON-LD)')
    .option('--jws', 'afficher l’accord tel que le nœud l’a signé (JWS compact)')
    .option(...JSON_FLAG)
    .action(contractsShow);
  contracts
    .command('pdf')
    .description('télécharger le contrat en PDF')
    .argument(...CONTRACT_ID)
    .option('-o, --output <fichier>', 'fichier ou dossier où écrire (nom proposé par le nœud par défaut), - pour la sortie standard')
    .option('--force', 'remplacer le fichier s’il existe')
    .option(...JSON_FLAG)
    .action(contractsPdf);
  contracts
    .command('grant')
    .description('ce que le contrat permet : usages, colonnes, lignes, agrégation, quota, validité, personnes')
    .argument(...CONTRACT_ID)
    .option(...JSON_FLAG)
    .action(contractsGrant);
  contracts
    .command('suspend')
    .description('suspendre un contrat : l’accès cesse dès la requête suivante, jusqu’à sa reprise')
    .argument(...CONTRACT_ID)
    .requiredOption(...REASON)
    .option(...JSON_FLAG)
    .action(contractsSuspend);
  contracts
    .command('resume')
    .description('reprendre un contrat suspendu')
    .argument(...CONTRACT_ID)
    .requiredOption(...REASON)
    .option(...JSON_FLAG)
    .action(contractsResume);
  contracts
    .command('terminate')
    .description('résilier un contrat (l’une ou l’autre partie) : définitif, effectif dès la requête suivante')
    .argument(...CONTRACT_ID)
    .requiredOption(...REASON)
    .option('--yes', 'ne pas demander de confirmation')
    .option(...JSON_FLAG)
    .action(contractsTerminate);
  contracts
    .command('amend')
    .description('proposer un avenant : une nouvelle durée, les conditions actuelles de l’offre, ou les deux')
    .argument(...CONTRACT_ID)
    .option('--duration <mois>', 'nouvelle durée en mois, de 1 à 120', integer(1, 120))
    .option('--latest-offer', 'passer aux conditions de la version actuelle de l’offre')
    .requiredOption(...REASON)
    .option(...JSON_FLAG)
    .action(contractsAmend);
  contracts
    .command('amendment')
    .description('répondre à un avenant proposé par l’autre partie : l’accepter (nouvelle version du contrat) ou le refuser')
    .argument(...CONTRACT_ID)
    .argument('<avenant>', 'identifiant de l’avenant (affiché par « contracts show »)', uuid('« confiance contracts show CONTRAT »'))
    .addOption(new Option('--accept', 'accepter l’avenant').conflicts('reject'))
    .option('--reject', 'refuser l’avenant')
    .option('--reason <texte>', 'motif, lu par l’autre partie')
    .option(...JSON_FLAG)
    .action(contractsAmendment);
  contracts
    .command('verify')
    .description(
      'vérifier sur ce poste la signature de l’accord (JWS EdDSA, clé de contrat du nœud) et que son contenu est l’accord affiché',
    )
    .argument(...CONTRACT_ID)
    .option('--key-file <fichier>', 'clé de contrat obtenue par un autre canal (JSON de /api/v1/contract-key) au lieu de celle du nœud')
    .option(...JSON_FLAG)
    .action(contractsVerify);

  program
    .command('query')
    .description('calculer sur un jeu de données là où il se trouve : ce que le contrat permet, secret statistique appliqué')
    .argument('<jeu>', 'slug ou identifiant du jeu de données')
    .option(
      '--access',
      'afficher ce que vous pouvez calculer (base, contrat, colonnes et rôles, quota, seuils) au lieu de lancer une requête',
    )
    .option('--table <table>', 'table d’un jeu à plusieurs tables (la première par défaut)')
    .option(
      '--contract <contrat>',
      'contrat à utiliser quand vous en avez plusieurs sur ce jeu',
      uuid('la colonne ID de « confiance contracts list »'),
    )
    .option('--columns <colonnes>', 'colonnes renvoyées (lignes), séparées par des virgules, répétable', accumulate(text))
    .option('--group-by <colonnes>', 'regrouper par ces colonnes (dimensions), séparées par des virgules, répétable', accumulate(text))
    .option('--count', 'compter les lignes (count)')
    .option('--sum <colonne>', 'somme de la colonne, répétable', repeatable(text))
    .option('--avg <colonne>', 'moyenne de la colonne, répétable', repeatable(text))
    .option('--min <colonne>', 'minimum de la colonne, répétable (refusé sur des données en agrégats seulement)', repeatable(text))
    .option('--max <colonne>', 'maximum de la colonne, répétable (refusé sur des données en agrégats seulement)', repeatable(text))
    .option('--count-distinct <colonne>', 'nombre de valeurs distinctes de la colonne, répétable', repeatable(text))
    .option(
      '--where <filtre>',
      `filtre, répétable (tous doivent tenir) : ${WHERE_HELP} ; valeurs envoyées en texte, converties par le nœud`,
      repeatable(parseWhere),
    )
    .option('--order-by <colonne[:desc]>', 'trier par une colonne du résultat (hosp, sum_hosp:desc…), répétable', accumulate(parseOrder))
    .option('--limit <n>', 'nombre maximal de lignes, de 1 à 10 000 000 (le contrat peut en permettre moins)', integer(1, 10_000_000))
    .option(
      '--join <jeu>',
      'jointure pseudonymisée avec un autre jeu tenu sous contrat pour le même projet ; ses colonnes se nomment table.colonne (voir --access)',
    )
    .option(
      '--on <clé=clé>',
      'paire de clés de jointure : celle de ce jeu, puis celle du jeu croisé (dep=DEP), répétable',
      accumulate(parseJoinKeys),
    )
    .option(
      '--join-contract <contrat>',
      'contrat du jeu croisé, quand vous en avez plusieurs',
      uuid('la colonne ID de « confiance contracts list »'),
    )
    .option('--join-table <table>', 'table du jeu croisé (la première par défaut)')
    .option(
      '--sql <requête>',
      'SQL restreint : un seul SELECT en lecture seule (voir --access pour les tables), sans les options ci-dessus',
    )
    .option('--format <format>', `${QUERY_FORMATS.join(', ')} (table par défaut) ; csv et parquet en flux`, oneOf(QUERY_FORMATS))
    .option(
      '-o, --output <fichier>',
      'écrire le CSV ou le Parquet dans ce fichier (sortie standard par défaut, exigé pour Parquet sur un terminal)',
    )
    .option('--force', 'remplacer le fichier s’il existe')
    .option(...JSON_FLAG)
    .addHelpText(
      'after',
      `
Agrégats nommés fonction_colonne (sum_hosp…, « nombre » pour --count), dans l’ordre count, sum, avg, min, max,
count_distinct.
Exemple : confiance query covid-hospitalisations-departement-sexe-2020 --group-by dep,sexe --sum hosp --where jour=2020-04-15
Jointure : confiance query covid-hospitalisations-departement-sexe-2020 --join populations-legales-departements-occitanie --on dep=DEP \
  --group-by insee_populations_legales_departements_occitanie.Département --sum hosp --where jour=2020-04-15 --where sexe=0

Codes de sortie : 0 succès, 1 échec (pas d’accès, réseau, requête trop coûteuse…), 2 erreur d’usage,
3 réponse négative : requête refusée par le contrat ou le secret statistique (query_refused), quota atteint
(quota_exceeded), ou --access : aucune requête permise. Le message du nœud est écrit sur stderr.`,
    )
    .action(query);

  const billing = program
    .command('billing')
    .description('facturation : estimations, relevés mensuels tirés du registre, factures Factur-X et avoirs, paramètres de l’association')
    .addHelpText(
      'after',
      `
Montants en euros : HT (hors taxes), TVA, TTC (toutes taxes comprises).
Codes de sortie : 0 succès, 1 échec (refus du nœud, réseau…), 2 erreur d’usage,
3 statements --recheck : le relevé ne correspond plus au registre (les différences sont affichées).`,
    );
  const PERIOD = ['--period <AAAA-MM>', 'mois facturé, par exemple 2026-11', period] as const;
  const INVOICE_ID = [
    '<facture>',
    'identifiant de la facture (colonne ID de « billing invoices list »)',
    uuid('la colonne ID de « confiance billing invoices list »'),
  ] as const;
  billing
    .command('estimate')
    .description('estimer ce que coûterait un usage : sous un contrat, ou sous une offre pour une organisation avant de la demander')
    .option(
      '--contract <contrat>',
      'contrat conclu (colonne ID de « contracts list »)',
      uuid('la colonne ID de « confiance contracts list »'),
    )
    .option(
      '--offer <offre>',
      'offre pas encore demandée (colonne ID de « offers list JEU »)',
      uuid('la colonne ID de « confiance offers list JEU »'),
    )
    .option('--organisation <organisation>', 'avec --offer : organisation preneuse (slug), dont la catégorie et l’adhésion fixent le prix')
    .option('--queries <n>', 'nombre de requêtes (1 par défaut si rien n’est indiqué)', integer(0, 100_000_000))
    .option('--rows <n>', 'lignes (ou cellules, selon le tarif) livrées', integer(0, Number.MAX_SAFE_INTEGER))
    .option('--months <n>', 'mois d’abonnement', integer(0, 120))
    .option(...JSON_FLAG)
    .action(billingEstimate);
  billing
    .command('statements')
    .description(
      'relevé mensuel d’une organisation, calculé à partir du registre seul : lignes par contrat, entrées citées, totaux, commission',
    )
    .requiredOption('--organisation <organisation>', 'organisation (slug), dont vous êtes administrateur ou responsable des données')
    .requiredOption(...PERIOD)
    .option('--role <rôle>', 'consumer : ce qu’elle doit (par défaut) ; provider : ce qu’elle gagne', oneOf(STATEMENT_ROLES))
    .option('--recheck', 'renvoyer le relevé au nœud pour qu’il le recalcule à partir du registre (code 3 en cas de différence)')
    .option(...JSON_FLAG)
    .action(billingStatements);
  const invoices = billing.command('invoices').description('factures et avoirs : lister, consulter, émettre, annuler, télécharger');
  invoices
    .command('list')
    .description('les factures et avoirs de vos organisations (tous pour l’opérateur), du plus récent au plus ancien')
    .option('--organisation <organisation>', 'seulement ceux de cette organisation (slug)')
    .option(...PERIOD)
    .option(...JSON_FLAG)
    .action(billingInvoicesList);
  invoices
    .command('show')
    .description('une facture ou un avoir : parties, lignes, TVA, totaux, entrées du registre')
    .argument(...INVOICE_ID)
    .option(...JSON_FLAG)
    .action(billingInvoicesShow);
  invoices
    .command('issue')
    .description('émettre la facture d’un mois : d’un fournisseur à un preneur (sous mandat), ou --fee la commission de l’association')
    .requiredOption('--provider <organisation>', 'fournisseur (slug) : le vendeur, ou avec --fee celui à qui la commission est facturée')
    .option('--consumer <organisation>', 'preneur facturé (slug), sauf avec --fee')
    .requiredOption(...PERIOD)
    .option('--fee', 'facture de commission de l’association au fournisseur (opérateur)')
    .option('--engagement <numéro>', 'numéro d’engagement (bon de commande) d’un acheteur public, pour Chorus Pro')
    .option(...JSON_FLAG)
    .action(billingInvoicesIssue);
  invoices
    .command('credit-note')
    .description('annuler une facture par un avoir : le mois peut ensuite être facturé à nouveau')
    .argument(...INVOICE_ID)
    .requiredOption('--reason <texte>', 'motif de l’avoir, imprimé dessus')
    .option(...JSON_FLAG)
    .action(billingInvoicesCreditNote);
  invoices
    .command('download')
    .description('télécharger le PDF et le XML Factur-X (CII EN 16931) d’une facture ; les deux sans option')
    .argument(...INVOICE_ID)
    .option('--pdf [fichier]', 'le PDF, dans ce fichier ou dossier (nommé d’après le numéro de facture par défaut)')
    .option('--xml [fichier]', 'le XML, dans ce fichier ou dossier (nommé d’après le numéro de facture par défaut)')
    .option('--force', 'remplacer les fichiers existants')
    .option(...JSON_FLAG)
    .action(billingInvoicesDownload);
  billing
    .command('export')
    .description('les factures et avoirs en CSV pour la comptabilité, une ligne chacun')
    .option('--organisation <organisation>', 'seulement ceux de cette organisation (slug)')
    .option(...PERIOD)
    .option('-o, --output <fichier>', 'écrire le CSV dans ce fichier (sortie standard par défaut)')
    .option('--force', 'remplacer le fichier s’il existe')
    .option(...JSON_FLAG)
    .action(billingExport);
  const settings = billing
    .command('settings')
    .description('paramètres de facturation de l’association : commission, cotisations, crédits, délai de paiement, mandat')
    .option(...JSON_FLAG)
    .action(billingSettingsShow);
  settings
    .command('set')
    .description('modifier les paramètres (opérateur) : chaque option remplace ce champ, le reste est gardé ; enregistré au registre')
    .option(
      '--fee-percent <pourcentage>',
      'commission de l’association sur le chiffre d’affaires HT des fournisseurs : 5 ou 2,5',
      percentOption,
    )
    .option(
      '--category <catégorie:commission:cotisation>',
      `par catégorie (${ORGANISATION_CATEGORIES.join(', ')}) : commission en %, cotisation annuelle en euros HT, l’une ou l’autre vide ; répétable`,
      parseCategory,
    )
    .option('--fee-vat-rate <code>', 'taux de TVA de la commission : S-20, S-10, S-5.5, S-2.1, Z, E, O…')
    .option('--dues-vat-rate <code>', 'taux de TVA des cotisations (O : hors champ par défaut)')
    .option('--payment-days <n>', 'délai de paiement des factures en jours (60 au plus)', integer(0, 365))
    .option('--mandate <référence>', 'référence du mandat de facturation donné par les fournisseurs')
    .option('--credit-value <centimes>', 'crédits de contribution : valeur d’un crédit en centimes', integer(1, 100_000_000))
    .option('--earn-per-query <n>', 'crédits gagnés par le fournisseur par requête sur ses données', integer(0, 1_000_000))
    .option('--earn-per-1000-units <n>', 'crédits gagnés par 1 000 lignes ou cellules livrées', integer(0, 1_000_000))
    .option('--max-cover-percent <pourcentage>', 'part d’une facture payable en crédits (100 par défaut)', percentOption)
    .option('--no-credits', 'ne plus utiliser de crédits de contribution')
    .option(...JSON_FLAG)
    .action(billingSettingsSet);

  const ledger = program
    .command('ledger')
    .description('le registre public : vérifier ce que le nœud a enregistré, en être témoin')
    .addHelpText(
      'after',
      `
Codes de sortie : 0 vérifié, 1 échec (réseau, fichier illisible), 2 erreur d’usage,
3 la preuve ne tient pas (signature, preuve, bifurcation du registre).`,
    );
  const KEY = ['--key <clé>', 'clé de vérification du nœud (<nom>+<id>+<clé>), obtenue par un autre canal'] as const;
  const KEY_FILE = ['--key-file <fichier>', 'fichier contenant la clé de vérification du nœud'] as const;
  const WITNESS = ['--witness <clé>', 'clé d’un témoin (type 0x04) dont la cosignature est exigée, répétable', repeatable(text)] as const;
  ledger
    .command('key')
    .description('afficher la clé de vérification des points de contrôle, telle que le nœud la publie')
    .option(...JSON_FLAG)
    .action(ledgerKey);
  ledger
    .command('checkpoint')
    .description('télécharger le dernier point de contrôle signé, vérifier sa signature, l’afficher ou l’enregistrer')
    .option('-o, --output <fichier>', 'enregistrer le point de contrôle (tel que servi) dans ce fichier')
    .option('--force', 'remplacer le fichier s’il existe')
    .option(...KEY)
    .option(...KEY_FILE)
    .option(...WITNESS)
    .option(...JSON_FLAG)
    .action(ledgerCheckpoint);
  ledger
    .command('verify')
    .description('vérifier un point de contrôle, une entrée, l’ajout seul ou les tuiles — hors ligne depuis des fichiers, ou en ligne')
    .option('--checkpoint <fichier>', 'point de contrôle signé enregistré (sans lui : téléchargé depuis CONFIANCE_URL)')
    .option(...KEY)
    .option(...KEY_FILE)
    .option(...WITNESS)
    .option('--entry <fichier>', 'entrée enregistrée (JSON de /api/v1/ledger/entries/N)')
    .option('--proof <fichier>', 'sa preuve d’inclusion (JSON de /api/v1/ledger/entries/N/proof)')
    .option('--entry-index <n>', 'entrée à télécharger et vérifier, avec sa preuve', integer(0, Number.MAX_SAFE_INTEGER))
    .option('--old-checkpoint <fichier>', 'point de contrôle plus ancien : prouver que le registre n’a fait que s’allonger depuis')
    .option('--consistency <fichier>', 'preuve de cohérence enregistrée (JSON de /api/v1/ledger/consistency ; sinon téléchargée)')
    .option('--tiles', 'télécharger toutes les tuiles et recalculer la racine à partir d’elles')
    .option(...JSON_FLAG)
    .action(ledgerVerify);
  ledger
    .command('watch')
    .description('témoin indépendant : vérifier chaque nouveau point de contrôle, alerter en cas de bifurcation, cosigner')
    .requiredOption('--state <fichier>', 'état du témoin (clé épinglée, dernier point de contrôle vérifié), créé en 0600')
    .option(...KEY)
    .option(...KEY_FILE)
    .option('--witness-key-file <fichier>', 'clé privée du témoin (ledger witness-key) : cosigner chaque point de contrôle vérifié')
    .option('--name <nom>', 'nom du témoin, celui de sa clé')
    .option('--interval <secondes>', 'délai entre deux passages, de 1 à 86400 (30 par défaut)', integer(1, 86_400), 30)
    .option('--once', 'un seul passage, puis sortir')
    .option(...JSON_FLAG)
    .action(ledgerWatch);
  ledger
    .command('witness-key')
    .description('créer la clé Ed25519 d’un témoin et afficher sa clé de vérification, à inscrire auprès du nœud')
    .requiredOption('--name <nom>', 'nom du témoin, sans espace ni « + » (par exemple temoin.exemple.fr)')
    .requiredOption('-o, --output <fichier>', 'fichier de la clé privée (PKCS#8 PEM, créé en 0600)')
    .option('--force', 'remplacer le fichier s’il existe')
    .option(...JSON_FLAG)
    .action(ledgerWitnessKey);

  return program;
}

/**
 * Runs one command line and returns the exit code: 0 on success, 1 on failure, 2 for a usage
 * error, 3 for a negative answer (ledger evidence or a signed contract that does not verify, a request a policy denies, a query the contract refuses);
 * `null` while `serve` keeps the process alive.
 */
export async function main(argv: string[]): Promise<number | null> {
  const state = { serving: false };
  try {
    await buildProgram(state).parseAsync(argv);
    return state.serving ? null : 0;
  } catch (error) {
    if (isCommanderError(error)) return commanderExitCode(error);
    if (error instanceof NegativeAnswer) return error.exitCode;
    const { line, exitCode } = describeError(error);
    process.stderr.write(`${line}\n`);
    if (process.env.CONFIANCE_DEBUG === '1' && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    return exitCode;
  }
}
