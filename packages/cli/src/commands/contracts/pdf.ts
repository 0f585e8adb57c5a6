import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '@confiance/contract';
import { connect } from '../../api';
import { CliError, UsageError } from '../../errors';
import { formatBytes, note, print, printBytes, printJson } from '../../output';
import { apiError, fileName } from '../datasets/download';
import { exists } from '../ledger/files';
import { contractHint } from './contract';

/** The contract's French rendering as a PDF, written to a file (or `-o -`: standard output). */
export async function contractsPdf(id: string, options: { output?: string; force?: boolean; json?: boolean }): Promise<void> {
  const toStdout = options.output === '-';
  if (toStdout && options.json) throw new UsageError('--json et -o - s’excluent : le PDF occupe déjà la sortie standard.');
  const { url, client } = await connect({ requireAuth: true });
  let response: Response;
  try {
    response = await fetch(client.contracts.pdfUrl(id), { headers: { ...client.authHeaders('GET'), accept: 'application/pdf' } });
  } catch (error) {
    throw new ApiError(0, 'network_error', `Serveur injoignable (${url}) : ${(error as Error).message}`);
  }
  if (!response.ok) throw contractHint(await apiError(response), id);
  const pdf = Buffer.from(await response.arrayBuffer());
  if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-')
    throw new CliError(
      `Le nœud n’a pas renvoyé de PDF pour le contrat ${id} (reçu : ${response.headers.get('content-type') ?? 'type inconnu'}).`,
      {
        code: 'not_a_pdf',
      },
    );
  if (toStdout) {
    printBytes(pdf);
    return;
  }
  const suggested = fileName(response.headers.get('content-disposition')) ?? `contrat-${id}.pdf`;
  let target = path.resolve(options.output ?? suggested);
  if (options.output !== undefined && (await isDirectory(target))) target = path.join(target, suggested);
  if (!options.force && (await exists(target)))
    throw new UsageError(`${target} existe déjà : ajoutez --force pour le remplacer, ou choisissez un autre nom avec -o.`);
  // Written beside the target and renamed once complete: an interrupted write never looks finished.
  const partial = `${target}.part`;
  try {
    await fs.writeFile(partial, pdf);
    await fs.rename(partial, target);
  } catch (error) {
    await fs.rm(partial, { force: true });
    throw error;
  }
  const sha256 = createHash('sha256').update(pdf).digest('hex');
  if (options.json) printJson({ file: target, bytes: pdf.length, sha256 });
  else {
    print(`Enregistré : ${target} (${formatBytes(pdf.length)}).`);
    note(`SHA-256 ${sha256}`);
  }
}

async function isDirectory(file: string): Promise<boolean> {
  return fs.stat(file).then(
    (s) => s.isDirectory(),
    () => false,
  );
}
