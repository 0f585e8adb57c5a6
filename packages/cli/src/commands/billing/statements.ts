import { formatEuros, type STATEMENT_ROLES, type StatementView } from '@confiance/contract';
import { connect } from '../../api';
import { NegativeAnswer } from '../../errors';
import { formatNumber, note, plural, print, printJson, table } from '../../output';
import { EXIT_DIFFERENCES, percent, periodLabel, printNotes, printTotals } from './billing';

export interface BillingStatementsOptions {
  organisation: string;
  period: string;
  role?: (typeof STATEMENT_ROLES)[number];
  recheck?: boolean;
  json?: boolean;
}

const ROLE_LABELS = { consumer: 'preneur', provider: 'fournisseur' } as const;

/**
 * An organisation's statement for a month, computed by the node from the ledger alone (each line
 * cites its entries) at a signed checkpoint. With --recheck the statement is sent back to be
 * recomputed: a statement that no longer matches the ledger exits with code 3.
 */
export async function billingStatements(options: BillingStatementsOptions): Promise<void> {
  const role = options.role ?? 'consumer';
  const { client } = await connect({ requireAuth: true });
  const statement = await client.billing.statement({ organisation: options.organisation, period: options.period, role });
  const recheck = options.recheck ? await client.billing.recheck(statement) : null;
  if (options.json) printJson(recheck ? { statement, recheck } : statement);
  else printStatement(statement);
  if (!recheck) return;
  if (!options.json) {
    if (recheck.matches) print('\nRelevé conforme au journal : chaque ligne recalculée à partir du registre donne le même résultat.');
    else {
      print('\nRelevé NON conforme au journal :');
      for (const d of recheck.differences) print(`  ✗ ${d}`);
    }
  }
  if (!recheck.matches) throw new NegativeAnswer(EXIT_DIFFERENCES);
}

function printStatement(statement: StatementView): void {
  const counterparty = statement.role === 'consumer' ? 'Fournisseur' : 'Preneur';
  print(
    `Relevé de ${statement.organisation} (${ROLE_LABELS[statement.role]}) — ${periodLabel(statement.period)}, ` +
      `point de contrôle ${statement.checkpoint.size} du registre, paramètres de facturation version ${statement.settingsVersion}`,
  );
  if (statement.lines.length === 0) {
    print('\nAucun usage facturable ce mois-là.');
    printNotes(statement.notes);
    return;
  }
  print();
  print(
    table(statement.lines, [
      { header: 'Contrat', value: (l) => l.contract },
      { header: 'Jeu de données', value: (l) => l.dataset },
      { header: counterparty, value: (l) => (statement.role === 'consumer' ? l.provider : l.consumer) },
      {
        header: 'Requêtes',
        value: (l) =>
          l.unbilledQueries > 0
            ? `${formatNumber(l.queries)} (+${formatNumber(l.unbilledQueries)} non facturées)`
            : formatNumber(l.queries),
        align: 'right',
      },
      { header: 'Lignes', value: (l) => formatNumber(l.units), align: 'right' },
      { header: 'HT', value: (l) => formatEuros(l.totals.net), align: 'right' },
      { header: 'TTC', value: (l) => formatEuros(l.totals.gross), align: 'right' },
      { header: 'Entrées citées', value: (l) => formatNumber(l.entries.length), align: 'right' },
    ]),
  );
  print();
  printTotals(statement.totals);
  if (statement.fees.length > 0) {
    print('\nCommission de l’association :');
    // The rounding rule is in each fee's explanation (--json); here, the computation alone.
    for (const fee of statement.fees)
      print(`  ${fee.provider} : ${percent(fee.rate)} de ${formatEuros(fee.base)} HT = ${formatEuros(fee.fee)} HT`);
    if (statement.fees.length > 1) print(`  Total : ${formatEuros(statement.feeTotal)} HT`);
  }
  if (statement.credits.length > 0) {
    print('\nCrédits de contribution gagnés :');
    for (const c of statement.credits) print(`  ${c.provider} : ${formatNumber(c.credits)} (${c.explanation})`);
  }
  printNotes(statement.notes);
  const cited = statement.lines.reduce((n, l) => n + l.entries.length, 0);
  note(
    `\n${plural(cited, 'entrée citée', 'entrées citées')}, racine ${statement.checkpoint.root} : « confiance ledger verify --entry-index N » en vérifie une.`,
  );
}
