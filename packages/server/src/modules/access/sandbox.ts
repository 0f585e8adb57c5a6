import { execFile } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { sqlIdent, sqlList, sqlString } from '../catalog/index';

/**
 * The locked DuckDB a consumer's queries run in. Each sandbox sees exactly the relations of one
 * grant — a view per table, restricted to the granted columns and rows — and can read those
 * Parquet files and nothing else; the only writable place is a private spool folder where result
 * streams (named pipes) are created. Configuration is locked after set-up, so no statement can
 * widen it. A fresh instance costs ≈ 26 ms (DESIGN.md): sandboxes are cached by what they expose,
 * so one contract's queries reuse one.
 *
 * The SQL run here is either compiled by us from a structured query or the rendering of a tree the
 * restricted-SQL checker accepted; the lock is there for the day either lets something through.
 */

export interface SandboxRelation {
  /** The view's name: the table name, what restricted SQL selects from. */
  name: string;
  /** Absolute path of the published Parquet file (symbolic links resolved by the caller). */
  file: string;
  /** Granted columns, in the file's order. */
  columns: readonly string[];
  /** Row filter compiled from the grant (e.g. `"dep" IN ('31','34')`), or null for every row. */
  rowFilter: string | null;
  /**
   * A pseudonymised join (join.ts): the view is `file ⋈ join.file` on the key pairs, with
   * `columns` of the first and `join.columns` (renamed) of the second — the keys are in neither.
   */
  join?: {
    file: string;
    columns: readonly { name: string; as: string }[];
    on: readonly { left: string; right: string }[];
  };
}

function viewSql(relation: SandboxRelation): string {
  const where = relation.rowFilter ? ` WHERE ${relation.rowFilter}` : '';
  if (!relation.join) {
    const columns = relation.columns.map(sqlIdent).join(', ');
    return `SELECT ${columns} FROM read_parquet(${sqlString(relation.file)})${where}`;
  }
  const j = relation.join;
  const columns = [
    ...relation.columns.map((c) => `l.${sqlIdent(c)}`),
    ...j.columns.map((c) => `r.${sqlIdent(c.name)} AS ${sqlIdent(c.as)}`),
  ].join(', ');
  const on = j.on.map((p) => `l.${sqlIdent(p.left)} = r.${sqlIdent(p.right)}`).join(' AND ');
  return `SELECT ${columns} FROM read_parquet(${sqlString(relation.file)}) AS l JOIN read_parquet(${sqlString(j.file)}) AS r ON ${on}${where}`;
}

export interface SandboxLimits {
  /** DuckDB's memory limit for the instance, e.g. '512MB'. */
  memory: string;
  /** Threads DuckDB may use for one instance. */
  threads: number;
}

export interface ResultColumn {
  name: string;
  type: string;
}

export interface RowsResult {
  columns: ResultColumn[];
  /** JSON-friendly values: DuckDB's JSON forms, integers as numbers when exact. */
  rows: unknown[][];
}

export interface ResultStream {
  /** The bytes DuckDB writes (CSV or Parquet), as they come. */
  body: Readable;
  /** Settles with the rows written when DuckDB has finished (rejects on its error, including an interruption). */
  done: Promise<number>;
  /** Stops DuckDB and the stream (client gone, contract ended, time up). */
  cancel(reason?: Error): void;
  /** The named pipe DuckDB writes into; removed when `done` settles. */
  pipe: string;
}

export class SandboxTimeout extends Error {
  override readonly name = 'SandboxTimeout';
}

const run = promisify(execFile);

/** Named pipes made at a time for a sandbox's streams (spares wait in its spool). */
export const PIPE_BATCH = 8;

class Sandbox {
  private constructor(
    private readonly instance: DuckDBInstance,
    readonly spool: string,
    readonly relations: readonly SandboxRelation[],
  ) {}

  static async open(relations: readonly SandboxRelation[], limits: SandboxLimits): Promise<Sandbox> {
    const spool = await fsp.mkdtemp(path.join(os.tmpdir(), 'confiance-spool-'));
    const instance = await DuckDBInstance.create(':memory:');
    try {
      const setup = await instance.connect();
      try {
        for (const relation of relations) await setup.run(`CREATE VIEW ${sqlIdent(relation.name)} AS ${viewSql(relation)}`);
        for (const statement of [
          `SET memory_limit = ${sqlString(limits.memory)}`,
          `SET threads = ${Math.max(1, Math.trunc(limits.threads))}`,
          // No spilling: a query that does not fit in memory fails rather than filling the disk.
          `SET temp_directory = ''`,
          `SET TimeZone = 'UTC'`,
          `SET enable_progress_bar = false`,
          // Without ORDER BY, results stream in whatever order threads produce them: COPY then
          // writes as it goes instead of holding the whole result in memory to keep file order.
          `SET preserve_insertion_order = false`,
          `SET allowed_paths = ${sqlList(relations.flatMap((r) => (r.join ? [r.file, r.join.file] : [r.file])))}`,
          `SET allowed_directories = ${sqlList([`${spool}/`])}`,
          `SET enable_external_access = false`,
          `SET autoinstall_known_extensions = false`,
          `SET autoload_known_extensions = false`,
          `SET lock_configuration = true`,
        ])
          await setup.run(statement);
      } finally {
        setup.closeSync();
      }
    } catch (error) {
      instance.closeSync();
      await fsp.rm(spool, { recursive: true, force: true });
      throw error;
    }
    return new Sandbox(instance, spool, relations);
  }

  /** Runs `sql` and returns every row (the caller bounds them with LIMIT). */
  async rows(sql: string, timeoutMs: number): Promise<RowsResult> {
    return this.withConnection(timeoutMs, async (connection) => {
      const reader = await connection.runAndReadAll(sql);
      const names = reader.columnNames();
      const types = reader.columnTypes().map((t) => t.toString());
      const exactIntegers = types.map((t) =>
        /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/.test(t),
      );
      const rows = reader.getRowsJson().map((row) =>
        row.map((value, i) => {
          // DuckDB's JSON form writes big integers as text; exact ones go back to numbers.
          if (exactIntegers[i] && typeof value === 'string') {
            const n = Number(value);
            return Number.isSafeInteger(n) ? n : value;
          }
          return value;
        }),
      );
      return { columns: names.map((name, i) => ({ name, type: types[i]! })), rows };
    });
  }

  /** The columns `sql` would return, without running it: binding errors surface before a stream opens. */
  async describe(sql: string, timeoutMs: number): Promise<ResultColumn[]> {
    return this.withConnection(timeoutMs, async (connection) => {
      const prepared = await connection.prepare(sql);
      return Array.from({ length: prepared.columnCount }, (_, i) => ({
        name: prepared.columnName(i),
        type: prepared.columnType(i).toString(),
      }));
    });
  }

  /**
   * Streams the result of `sql` as CSV or Parquet, the bytes written by DuckDB itself into a named
   * pipe in the spool folder and read here as they come: nothing formatted in JavaScript, nothing
   * kept on disk, and the first bytes leave before the query ends.
   *
   * The reading end is opened without blocking and read by the event loop as a socket (no thread
   * pool round trip per 64 KiB the pipe holds). A second, idle writing end is held open until
   * DuckDB is done, so the reader sees the end of the stream only then — whether DuckDB opened
   * the pipe or failed before it did.
   */
  async stream(sql: string, format: 'csv' | 'parquet', timeoutMs: number): Promise<ResultStream> {
    const fifo = await this.takePipe();
    const readFd = await openFd(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    const holdFd = await openFd(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
    const body = new net.Socket({ fd: readFd, readable: true, writable: false });
    const connection = await this.instance.connect();
    let settled = false;
    let failure: Error | undefined;
    const timer = setTimeout(() => cancel(new SandboxTimeout('time limit')), timeoutMs);
    const options = format === 'csv' ? `(FORMAT csv, HEADER true, DELIMITER ',')` : `(FORMAT parquet, COMPRESSION zstd)`;
    const copy = connection.runAndReadAll(`COPY (${sql}) TO ${sqlString(fifo)} ${options}`);
    const finish = async () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      connection.closeSync();
      await closeFd(holdFd);
      await fsp.rm(fifo, { force: true });
    };
    // Settles once the pipe is gone too: nothing of the query is left in the spool after it.
    const done = copy
      .then(
        // COPY answers with the number of rows it wrote.
        (result) => Number(result.getRows()[0]?.[0] ?? 0),
        (error: unknown) => {
          const reason = failure ?? (error instanceof Error ? error : new Error(String(error)));
          // Cut the body with the error before the pipe closes: a failed query must not read
          // as a complete (if short) result.
          body.destroy(reason);
          throw reason;
        },
      )
      .finally(finish);
    const cancel = (reason?: Error) => {
      if (!settled) {
        failure ??= reason ?? new Error('cancelled');
        connection.interrupt();
      }
      body.destroy(reason);
    };
    // Handled by the caller; marked here so that a caller late to listen is no unhandled rejection.
    done.catch(() => undefined);
    return { body, done, cancel, pipe: fifo };
  }

  private readonly pipes: string[] = [];
  private refilling: Promise<void> | undefined;

  /**
   * A fresh named pipe of the spool. Node cannot make one itself and spawning `mkfifo` costs tens
   * of milliseconds, so pipes are made a batch at a time, ahead of need; each serves one stream.
   */
  private async takePipe(): Promise<string> {
    for (;;) {
      const pipe = this.pipes.pop();
      if (this.pipes.length < PIPE_BATCH / 2) void this.refill().catch(() => undefined);
      if (pipe) return pipe;
      await this.refill();
    }
  }

  private refill(): Promise<void> {
    this.refilling ??= (async () => {
      const names = Array.from({ length: PIPE_BATCH }, () => path.join(this.spool, randomUUID()));
      await run('mkfifo', ['-m', '600', ...names]);
      this.pipes.push(...names);
    })().finally(() => {
      this.refilling = undefined;
    });
    return this.refilling;
  }

  close(): void {
    this.instance.closeSync();
    void fsp.rm(this.spool, { recursive: true, force: true });
  }

  private async withConnection<T>(timeoutMs: number, work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
    const connection = await this.instance.connect();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      connection.interrupt();
    }, timeoutMs);
    try {
      return await work(connection);
    } catch (error) {
      if (timedOut) throw new SandboxTimeout('time limit', { cause: error });
      throw error;
    } finally {
      clearTimeout(timer);
      connection.closeSync();
    }
  }
}

const openFd = promisify(fs.open);
const closeFd = promisify(fs.close);

export type { Sandbox };

// --- the cache -------------------------------------------------------------------------------

/** Open sandboxes kept at most; the least recently used goes first. */
const MAX_SANDBOXES = 16;
/** A sandbox unused this long is closed. */
const IDLE_MS = 5 * 60_000;

interface Entry {
  ready: Promise<Sandbox>;
  users: number;
  evicted: boolean;
  timer?: NodeJS.Timeout;
}

const cache = new Map<string, Entry>();

function keyOf(relations: readonly SandboxRelation[], limits: SandboxLimits): string {
  return createHash('sha256')
    .update(JSON.stringify([relations, limits]))
    .digest('hex');
}

/**
 * Runs `work` in the cached sandbox exposing exactly `relations` (two grants with the same
 * columns and rows share one). A stream returned by `work` keeps the sandbox open until it ends.
 */
export async function withSandbox<T>(
  relations: readonly SandboxRelation[],
  limits: SandboxLimits,
  work: (sandbox: Sandbox, hold: (until: Promise<unknown>) => void) => Promise<T>,
): Promise<T> {
  const key = keyOf(relations, limits);
  let entry = cache.get(key);
  if (entry) {
    cache.delete(key);
    cache.set(key, entry);
  } else {
    entry = { ready: Sandbox.open(relations, limits), users: 0, evicted: false };
    cache.set(key, entry);
    evictBeyondLimit();
  }
  const current = entry;
  clearTimeout(current.timer);
  current.users++;
  let held: Promise<unknown> | undefined;
  const leave = () => {
    current.users--;
    release(key, current);
  };
  try {
    let sandbox: Sandbox;
    try {
      sandbox = await current.ready;
    } catch (error) {
      if (cache.get(key) === current) cache.delete(key);
      throw error;
    }
    return await work(sandbox, (until) => {
      held = until;
    });
  } finally {
    if (held) void held.catch(() => undefined).finally(leave);
    else leave();
  }
}

export async function closeSandboxes(): Promise<void> {
  const entries = [...cache.values()];
  cache.clear();
  for (const entry of entries) {
    clearTimeout(entry.timer);
    entry.evicted = true;
    if (entry.users === 0) await closeEntry(entry);
  }
}

export function openSandboxCount(): number {
  return cache.size;
}

function release(key: string, entry: Entry): void {
  if (entry.users > 0) return;
  if (entry.evicted) {
    void closeEntry(entry);
    return;
  }
  entry.timer = setTimeout(() => {
    if (cache.get(key) !== entry || entry.users > 0) return;
    cache.delete(key);
    void closeEntry(entry);
  }, IDLE_MS);
  entry.timer.unref();
}

function evictBeyondLimit(): void {
  for (const [key, entry] of cache) {
    if (cache.size <= MAX_SANDBOXES) break;
    cache.delete(key);
    clearTimeout(entry.timer);
    entry.evicted = true;
    if (entry.users === 0) void closeEntry(entry);
  }
}

async function closeEntry(entry: Entry): Promise<void> {
  const sandbox = await entry.ready.catch(() => null);
  sandbox?.close();
}
