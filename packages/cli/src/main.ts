import { readFileSync } from 'node:fs';
import { DOMAINS, ORGANISATION_CATEGORIES, TOKEN_SCOPES } from '@confiance/contract';
import { Command } from 'commander';
import { DEFAULT_URL } from './api';
import { createOperatorCommand } from './commands/admin/create-operator';
import { login } from './commands/auth/login';
import { logout } from './commands/auth/logout';
import { whoami } from './commands/auth/whoami';
import { membersList } from './commands/members/list';
import { membersShow } from './commands/members/show';
import { migrateCommand } from './commands/node/migrate';
import { seedDemoCommand } from './commands/node/seed-demo';
import { serve } from './commands/node/serve';
import { tokensCreate } from './commands/tokens/create';
import { tokensList } from './commands/tokens/list';
import { tokensRevoke } from './commands/tokens/revoke';
import { describeError } from './errors';
import { commanderExitCode, frenchHelp, integer, isCommanderError, oneOf, repeatable, translateCommanderError } from './help';

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

  return program;
}

/**
 * Runs one command line and returns the exit code: 0 on success, 1 on failure, 2 for a usage
 * error; `null` while `serve` keeps the process alive.
 */
export async function main(argv: string[]): Promise<number | null> {
  const state = { serving: false };
  try {
    await buildProgram(state).parseAsync(argv);
    return state.serving ? null : 0;
  } catch (error) {
    if (isCommanderError(error)) return commanderExitCode(error);
    const { line, exitCode } = describeError(error);
    process.stderr.write(`${line}\n`);
    if (process.env.CONFIANCE_DEBUG === '1' && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    return exitCode;
  }
}
