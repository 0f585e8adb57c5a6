import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { ApiError, type Client, type QueryInput } from '@confiance/contract';
import { connect } from '../../api';
import { CliError, NegativeAnswer, UsageError } from '../../errors';
import { formatBytes, note, print, printJson } from '../../output';
import { notFoundHint } from '../datasets/dataset';
import { apiError } from '../datasets/download';
import { EXIT_DENIED } from '../policies/decision';
import { queryBody, structuredFlags, type QueryFlags } from './input';
import { accessText, resultText } from './result';

export const QUERY_FORMATS = ['table', 'json', 'csv', 'parquet'] as const;

export interface QueryOptions extends QueryFlags {
  access?: boolean;
  format?: (typeof QUERY_FORMATS)[number];
  output?: string;
  force?: boolean;
  json?: boolean;
}

/**
 * The API's answers that are a « no » to this query rather than a failure: the contract's rules
 * refuse it (`query_refused`) or its quota is used up (`quota_exceeded`). Exit code 3, as for a
 * request a policy denies; everything else (no access at all, network, a query too costly) is 1.
 */
const NEGATIVE_CODES = new Set(['query_refused', 'quota_exceeded']);

/**
 * `confiance query DATASET`: computes where the data lives and prints what the contract lets out —
 * a table with its disclosure legend, the API's JSON, or CSV / Parquet streamed to a file or stdout.
 * `--access` prints instead what the caller may compute (exit 3 when nothing).
 */
export async function query(dataset: string, options: QueryOptions): Promise<void> {
  const format = options.json ? 'json' : (options.format ?? 'table');
  const streamed = options.format === 'csv' || options.format === 'parquet';
  if (options.json && streamed && (options.output === undefined || options.output === '-'))
    throw new UsageError(`--json et --format ${options.format} s’excluent sans --output : les données occupent déjà la sortie standard.`);
  const shaping = structuredFlags(options);
  if (options.access) {
    const extra = [...shaping, ...(options.sql !== undefined ? ['--sql'] : []), ...(options.output !== undefined ? ['--output'] : [])];
    if (extra.length > 0) throw new UsageError(`--access ne lance pas de requête : retirez ${extra.join(', ')}.`);
    return printAccess(dataset, options);
  }
  if (options.sql !== undefined && shaping.length > 0)
    throw new UsageError(`--sql est une requête entière : retirez ${shaping.join(', ')} (ou écrivez-les dans le SQL).`);
  const body = queryBody(options);
  const { url, client } = await connect();
  if (streamed) {
    await streamResult(url, client, dataset, body, options.format as 'csv' | 'parquet', options);
    return;
  }
  if (options.output !== undefined) throw new UsageError('--output s’emploie avec --format csv ou parquet.');
  let result;
  try {
    result = await client.queries.run(dataset, body);
  } catch (error) {
    throw queryError(error, dataset);
  }
  if (format === 'json') printJson(result);
  else print(resultText(result));
}

async function printAccess(dataset: string, options: QueryOptions): Promise<void> {
  const { client } = await connect();
  let access;
  try {
    access = await client.queries.access(dataset, options.contract ? { contract: options.contract } : {});
  } catch (error) {
    throw queryError(error, dataset);
  }
  if (options.json) printJson(access);
  else print(accessText(access));
  if (!access.allowed) throw new NegativeAnswer(EXIT_DENIED);
}

/** The API's French message, with exit code 3 for a refusal and a way to find the dataset when it is missing. */
function queryError(error: unknown, dataset: string): unknown {
  if (error instanceof ApiError && NEGATIVE_CODES.has(error.code))
    return new CliError(error.message, { exitCode: EXIT_DENIED, code: error.code, requestId: error.requestId });
  return notFoundHint(error, dataset);
}

/** CSV or Parquet as DuckDB writes it on the node, streamed untouched to a file or stdout. */
async function streamResult(
  url: string,
  client: Client,
  dataset: string,
  body: QueryInput,
  format: 'csv' | 'parquet',
  options: QueryOptions,
): Promise<void> {
  const toStdout = options.output === undefined || options.output === '-';
  if (toStdout && format === 'parquet' && process.stdout.isTTY)
    throw new UsageError('Parquet est un format binaire : ajoutez --output FICHIER, ou redirigez la sortie (> resultat.parquet).');
  let target: string | undefined;
  if (!toStdout) {
    target = path.resolve(options.output!);
    if (await isDirectory(target)) target = path.join(target, `${dataset}.${format}`);
    if (!options.force && (await exists(target)))
      throw new UsageError(`${target} existe déjà : ajoutez --force pour le remplacer, ou choisissez un autre nom avec --output.`);
  }
  let response: Response;
  try {
    response = await fetch(client.queries.resultUrl(dataset, format), {
      method: 'POST',
      headers: { ...client.authHeaders('POST'), 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch (error) {
    throw new ApiError(0, 'network_error', `Serveur injoignable (${url}) : ${(error as Error).message}`);
  }
  if (!response.ok || !response.body) throw queryError(await apiError(response), dataset);

  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  // Written beside the target and renamed once complete: a stream the node cut (the contract
  // ended meanwhile) never looks like a whole result.
  const partial = target ? `${target}.part` : undefined;
  const destination: Writable = partial ? createWriteStream(partial) : process.stdout;
  try {
    await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), counter, destination);
    if (partial && target) await fs.rename(partial, target);
  } catch (error) {
    if (partial) await fs.rm(partial, { force: true });
    throw error;
  }
  const queryId = response.headers.get('x-confiance-query');
  if (options.json) printJson({ file: target ?? '-', bytes, query: queryId, contentType: response.headers.get('content-type') });
  else if (target) print(`Enregistré : ${target} (${formatBytes(bytes)}).`);
  else note(`${formatBytes(bytes)} écrits sur la sortie standard.`);
}

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}

async function isDirectory(file: string): Promise<boolean> {
  return fs.stat(file).then(
    (s) => s.isDirectory(),
    () => false,
  );
}
