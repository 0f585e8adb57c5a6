import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { ApiError, type DOWNLOAD_FORMATS, type ErrorBody } from '@confiance/contract';
import { connect } from '../../api';
import { CliError, UsageError } from '../../errors';
import { formatBytes, note, print, printJson } from '../../output';
import { progress } from '../../progress';
import { notFoundHint } from './dataset';

export interface DatasetsDownloadOptions {
  version?: number;
  table?: string;
  format?: (typeof DOWNLOAD_FORMATS)[number];
  /** A file, a folder, or `-` for stdout. */
  output?: string;
  force?: boolean;
  json?: boolean;
}

export async function datasetsDownload(ref: string, options: DatasetsDownloadOptions): Promise<void> {
  const toStdout = options.output === '-';
  if (toStdout && options.json) throw new UsageError('--json et -o - s’excluent : les données occupent déjà la sortie standard.');
  const { url, client } = await connect();
  const format = options.format ?? 'parquet';
  const address = client.datasets.downloadUrl(ref, { version: options.version, table: options.table, format });
  let response: Response;
  try {
    response = await fetch(address, { headers: client.authHeaders('GET') });
  } catch (error) {
    throw new ApiError(0, 'network_error', `Serveur injoignable (${url}) : ${(error as Error).message}`);
  }
  if (!response.ok || !response.body) {
    const error = await apiError(response);
    // Only the dataset itself can be missing when no version or table was named.
    throw options.version === undefined && options.table === undefined ? notFoundHint(error, ref) : error;
  }

  const suggested = fileName(response.headers.get('content-disposition')) ?? `${ref}.${format === 'original' ? 'bin' : format}`;
  let target: string | undefined;
  if (!toStdout) {
    target = path.resolve(options.output ?? suggested);
    if (options.output !== undefined && (await isDirectory(target))) target = path.join(target, suggested);
    if (!options.force && (await exists(target))) {
      await response.body.cancel();
      throw new UsageError(`${target} existe déjà : ajoutez --force pour le remplacer, ou choisissez un autre nom avec -o.`);
    }
  }

  const total = Number(response.headers.get('content-length')) || 0;
  const hash = createHash('sha256');
  let received = 0;
  const bar = progress();
  bar.phase(`Téléchargement de ${target ? path.basename(target) : suggested}`);
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.length;
      hash.update(chunk);
      bar.update(received, total);
      done(null, chunk);
    },
  });
  // Written beside the target and renamed once complete: an interrupted download never looks finished.
  const partial = target ? `${target}.part` : undefined;
  const destination: Writable = partial ? createWriteStream(partial) : process.stdout;
  const expected = announcedSha256(response.headers);
  let sha256: string;
  try {
    await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), counter, destination);
    sha256 = hash.digest('hex');
    if (expected && expected !== sha256)
      throw new CliError(
        `Fichier abîmé en route : son empreinte SHA-256 (${sha256}) n’est pas celle annoncée par le serveur (${expected}). Relancez le téléchargement.`,
        { code: 'digest_mismatch' },
      );
    if (partial && target) await fs.rename(partial, target);
  } catch (error) {
    if (partial) await fs.rm(partial, { force: true });
    throw error;
  } finally {
    bar.stop();
  }

  const result = { file: target ?? '-', bytes: received, sha256, contentType: response.headers.get('content-type') };
  if (options.json) printJson(result);
  else if (target) print(`Enregistré : ${target} (${formatBytes(received)}).`);
  else note(`${formatBytes(received)} écrits sur la sortie standard.`);
}

/** The SHA-256 the server announces (`Digest: sha-256=…`, or RFC 9530 `Repr-Digest: sha-256=:…:`), in hex. */
export function announcedSha256(headers: Headers): string | undefined {
  for (const header of ['repr-digest', 'digest']) {
    const base64 = /(?:^|,)\s*sha-256=:?([A-Za-z0-9+/=]+):?/i.exec(headers.get(header) ?? '')?.[1];
    if (base64) return Buffer.from(base64, 'base64').toString('hex');
  }
  return undefined;
}

export async function apiError(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  let body: ErrorBody | undefined;
  try {
    body = text ? (JSON.parse(text) as ErrorBody) : undefined;
  } catch {
    body = undefined; // a proxy's HTML page, say: reported by status
  }
  const e = body?.error;
  return new ApiError(response.status, e?.code ?? 'internal_error', e?.message ?? `HTTP ${response.status}`, e?.details, e?.requestId);
}

/**
 * The name the server suggests, reduced to a bare file name: a hostile or broken server could
 * otherwise send `../../.bashrc` or an absolute path and have the CLI write outside the folder.
 */
export function fileName(disposition: string | null): string | undefined {
  if (!disposition) return undefined;
  let name: string | undefined;
  const extended = /filename\*\s*=\s*(?:utf-8|UTF-8)''([^;]+)/.exec(disposition)?.[1];
  if (extended) {
    try {
      name = decodeURIComponent(extended.trim());
    } catch {
      name = undefined;
    }
  }
  name ??=
    /filename\s*=\s*"((?:[^"\\]|\\.)*)"/i.exec(disposition)?.[1]?.replace(/\\(.)/g, '$1') ??
    /filename\s*=\s*([^;\s]+)/i.exec(disposition)?.[1];
  if (!name) return undefined;
  const base = path.posix.basename(name.replace(/\\/g, '/')).replace(/[\u0000-\u001f\u007f]/g, '');
  return base && !base.startsWith('.') ? base : undefined;
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
