import { loadServer } from '../../server';
import { plural, print, printJson } from '../../output';
import { describeDatabase, withDatabase } from './database';

export async function migrateCommand(options: { json?: boolean }): Promise<void> {
  const { migrate } = await loadServer();
  await withDatabase(async (database, config) => {
    const applied = await migrate(database.db);
    if (options.json) {
      printJson({ database: database.kind, applied });
      return;
    }
    const where = describeDatabase(config);
    if (applied.length === 0) {
      print(`${where} : déjà à jour, aucune migration à appliquer.`);
      return;
    }
    print(`${where} : ${plural(applied.length, 'migration appliquée', 'migrations appliquées')}.`);
    for (const name of applied) print(`  ${name}`);
  });
}
