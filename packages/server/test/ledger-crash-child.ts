/**
 * Child process of the ledger's crash test: appends facts and integrates them as fast as it can
 * until it is killed with SIGKILL. Arguments: database URL, key file, origin.
 */
import { openDatabase } from '../src/platform/db/database';
import { recordFact } from '../src/modules/ledger/index';
import { integrateBatch } from '../src/modules/ledger/integrate';
import { loadOrCreateSigner } from '../src/modules/ledger/keys';

const [url, keyFile, origin] = process.argv.slice(2) as [string, string, string];
const database = await openDatabase({ databaseUrl: url, poolSize: 4 });
const signer = await loadOrCreateSigner(keyFile, origin);
let round = 0;
// Two writers and an integrator at once, like a busy node.
const writer = async (name: string) => {
  for (;;) {
    const n = round++;
    await database.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 25; i++) {
        await recordFact(trx, { type: 'vote.decided', public: { vote: `${name}-${n}-${i}`, subject: 'crash', outcome: 'adopted' } });
      }
    });
  }
};
const integrator = async () => {
  for (;;) {
    const { added } = await integrateBatch(database.db, signer, origin, 300);
    if (added > 0) process.stdout.write('.');
  }
};
await Promise.all([writer('a'), writer('b'), integrator()]);
