import { loadServer } from '../../server';
import { plural, print, printJson } from '../../output';
import { describeDatabase, withDatabase } from './database';

/** Migrates, then seeds the demo consortium through the server's own commands (idempotent). */
export async function seedDemoCommand(options: { json?: boolean }): Promise<void> {
  const { buildApp, migrate, seedDemo, DEMO_OPERATOR, DEMO_PASSWORD } = await loadServer();
  await withDatabase(async (database, config) => {
    const applied = await migrate(database.db);
    // The seed needs the node's context (jobs, logger, config); the app builds it without listening.
    const app = await buildApp({ config, database, ready: true, logger: false });
    let seeded;
    try {
      seeded = await seedDemo(app.confiance.ctx, app.confiance.catalog, app.confiance.contracts);
    } finally {
      await app.close();
    }
    const alreadySeeded = seeded.organisations === 0 && seeded.people === 0 && seeded.datasets === 0;
    if (options.json) {
      printJson({ database: database.kind, migrationsApplied: applied, ...seeded, alreadySeeded });
      return;
    }
    const where = describeDatabase(config);
    if (applied.length) print(`${where} : ${plural(applied.length, 'migration appliquée', 'migrations appliquées')}.`);
    print(
      alreadySeeded
        ? `${where} : le consortium de démonstration est déjà en place.`
        : `${where} : consortium de démonstration créé — ${plural(seeded.organisations, 'organisation')}, ${plural(seeded.people, 'personne')}, ${plural(seeded.datasets, 'jeu de données', 'jeux de données')}.`,
    );
    print(`Opérateur : ${DEMO_OPERATOR.email} — mot de passe commun des comptes de démonstration : ${DEMO_PASSWORD}`);
  });
}
