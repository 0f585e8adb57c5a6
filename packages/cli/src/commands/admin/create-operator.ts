import { loadServer } from '../../server';
import { emailSchema, passwordSchema } from '@confiance/contract';
import { UsageError } from '../../errors';
import { print, printJson } from '../../output';
import { askHidden, passwordFromStdin } from '../../prompt';
import { describeDatabase, withDatabase } from '../node/database';

export interface CreateOperatorOptions {
  email: string;
  displayName: string;
  passwordStdin?: boolean;
  json?: boolean;
}

async function readPassword(fromStdin: boolean | undefined): Promise<string> {
  if (fromStdin) return passwordFromStdin();
  const password = await askHidden('Mot de passe : ');
  const check = passwordSchema.safeParse(password);
  if (!check.success) throw new UsageError(`Mot de passe refusé : ${check.error.issues[0]?.message ?? 'invalide'}.`);
  if ((await askHidden('Confirmez le mot de passe : ')) !== password) throw new UsageError('Les deux mots de passe diffèrent.');
  return password;
}

/**
 * The first operator of a node that is not in demo mode, written straight to the database: there
 * is nobody yet who could admit one through the API.
 */
export async function createOperatorCommand(options: CreateOperatorOptions): Promise<void> {
  const email = emailSchema.safeParse(options.email);
  if (!email.success) throw new UsageError(`Adresse e-mail invalide : « ${options.email} ».`);
  const displayName = options.displayName.trim();
  if (!displayName || displayName.length > 120) throw new UsageError('--display-name : entre 1 et 120 caractères.');
  const password = await readPassword(options.passwordStdin);
  const check = passwordSchema.safeParse(password);
  if (!check.success) throw new UsageError(`Mot de passe refusé : ${check.error.issues[0]?.message ?? 'invalide'}.`);

  const { migrate, createOperator, findUserByEmail } = await loadServer();
  await withDatabase(async (database, config) => {
    await migrate(database.db); // a fresh node has no tables until it first starts
    const existing = await findUserByEmail(database.db, email.data);
    const user = await createOperator({ db: database.db }, { email: email.data, displayName, password });
    const created = !existing;
    if (options.json) {
      printJson({ id: user.id, email: user.email, displayName: user.display_name, platformRoles: user.platform_roles, created });
      return;
    }
    print(
      created
        ? `Opérateur créé dans ${describeDatabase(config)} : ${user.display_name} <${user.email}>.`
        : `Compte existant ${user.email} promu opérateur dans ${describeDatabase(config)} (son mot de passe et son nom sont inchangés).`,
    );
    print('Il peut maintenant se connecter : confiance login --email ' + user.email);
  });
}
