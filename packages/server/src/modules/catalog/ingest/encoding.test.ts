import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findInvalidUtf8, firstInvalidUtf8, transcodeToUtf8 } from './encoding';
import { IngestError } from './errors';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ingest-encoding-'));
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

const write = async (name: string, bytes: Uint8Array) => {
  const file = path.join(dir, name);
  await fs.writeFile(file, bytes);
  return file;
};

describe('firstInvalidUtf8', () => {
  it('finds stray bytes, overlong forms and surrogates', () => {
    expect(firstInvalidUtf8(Buffer.from('Hérault €', 'utf8'))).toBe(-1);
    expect(firstInvalidUtf8(Buffer.from([0x41, 0xe9, 0x41]))).toBe(1);
    expect(firstInvalidUtf8(Buffer.from([0xc0, 0xaf]))).toBe(0);
    expect(firstInvalidUtf8(Buffer.from([0xed, 0xa0, 0x80]))).toBe(0);
  });
});

describe('findInvalidUtf8', () => {
  it('reads across chunk boundaries without false alarms, and finds a late stray byte', async () => {
    // "é" (2 bytes) at every position around the 1 MiB chunk boundary.
    const text = `${'a'.repeat((1 << 20) - 3)}éééé${'b'.repeat(10)}`;
    expect(await findInvalidUtf8(await write('valid.txt', Buffer.from(text, 'utf8')), () => {})).toBe(-1);
    const bytes = Buffer.concat([Buffer.from(text, 'utf8'), Buffer.from([0x9c])]);
    expect(await findInvalidUtf8(await write('late.txt', bytes), () => {})).toBe(bytes.length - 1);
    expect(await findInvalidUtf8(await write('cut.txt', Buffer.from([0x41, 0xc3])), () => {})).toBe(1);
  });
});

describe('transcodeToUtf8', () => {
  it('decodes Windows-1252 (€, œ, ’) and tells it from ISO-8859-1', async () => {
    const out = path.join(dir, 'out.txt');
    const w1252 = await write('w.txt', iconv.encode('Cœur – 12 € l’unité', 'windows-1252'));
    expect(await transcodeToUtf8(w1252, out, 'windows-1252', 0, () => {})).toEqual({ encoding: 'windows-1252' });
    expect(await fs.readFile(out, 'utf8')).toBe('Cœur – 12 € l’unité');
    const latin1 = await write('l.txt', iconv.encode('Pyrénées, Ariège', 'latin1'));
    expect(await transcodeToUtf8(latin1, out, 'windows-1252', 0, () => {})).toEqual({ encoding: 'iso-8859-1' });
    expect(await fs.readFile(out, 'utf8')).toBe('Pyrénées, Ariège');
  });

  it('decodes UTF-16 with its byte-order mark', async () => {
    const out = path.join(dir, 'out16.txt');
    const file = await write('u16.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode('dep;nom\n09;Ariège\n', 'utf-16le')]));
    expect(await transcodeToUtf8(file, out, 'utf-16le', 2, () => {})).toEqual({ encoding: 'utf-16le' });
    expect(await fs.readFile(out, 'utf8')).toBe('dep;nom\n09;Ariège\n');
  });

  it('refuses UTF-8 with a Windows-1252 line spliced in, naming the line', async () => {
    const file = await write(
      'mixed.txt',
      Buffer.concat([Buffer.from('Hérault\nPyrénées\nAriège\n', 'utf8'), iconv.encode('Cœur\n', 'windows-1252')]),
    );
    const error = await transcodeToUtf8(file, path.join(dir, 'o.txt'), 'windows-1252', 0, () => {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IngestError);
    expect(error).toMatchObject({ code: 'encoding_mismatch', line: 4 });
  });
});
