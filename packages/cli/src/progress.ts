import { formatBytes } from './output';

/**
 * Progress on stderr, so that stdout stays parseable. On a terminal: one line redrawn in place
 * (label, bar, percentage); in a pipe or a CI log: one line per phase and nothing per update, so
 * that the log stays readable.
 */
export interface Progress {
  /** Starts a phase: on a terminal its line replaces the previous one. */
  phase(label: string): void;
  /** Where the current phase is; `total` 0 or absent when unknown; `none`: a percentage only. */
  update(done: number, total?: number, unit?: 'bytes' | 'none'): void;
  /** Clears the line on a terminal; the caller prints the outcome itself. */
  stop(): void;
}

const BAR_WIDTH = 30;
const MIN_BAR_WIDTH = 10;
/** Redraw at most ten times a second: a fast upload calls `update` for every 64 KiB chunk. */
const REDRAW_MS = 100;

export function progress(stream: NodeJS.WriteStream = process.stderr): Progress {
  return stream.isTTY ? terminalProgress(stream) : logProgress(stream);
}

function logProgress(stream: NodeJS.WriteStream): Progress {
  let last = '';
  return {
    phase(label) {
      if (label === last) return;
      last = label;
      stream.write(`${label}…\n`);
    },
    update() {},
    stop() {},
  };
}

function terminalProgress(stream: NodeJS.WriteStream): Progress {
  let label = '';
  let drawnAt = 0;
  let drawn = false;
  const draw = (line: string) => {
    const columns = stream.columns || 80;
    // Cut to the terminal's width: a wrapped line could not be redrawn in place.
    stream.write(`\r\u001b[2K${[...line].slice(0, columns - 1).join('')}`);
    drawn = true;
  };
  return {
    phase(next) {
      label = next;
      drawnAt = Date.now();
      draw(`${label}…`);
    },
    update(done, total = 0, unit = 'bytes') {
      const now = Date.now();
      if (now - drawnAt < REDRAW_MS && !(total > 0 && done >= total)) return;
      drawnAt = now;
      if (total > 0) {
        const ratio = Math.min(1, done / total);
        const amounts = unit === 'bytes' ? ` (${formatBytes(done)} / ${formatBytes(total)})` : '';
        const figures = `${String(Math.floor(ratio * 100)).padStart(3)} %${amounts}`;
        // The bar gives way first on a narrow terminal, so that the figures stay readable.
        const room = (stream.columns || 80) - 1 - [...label].length - [...figures].length - 2;
        const size = Math.max(MIN_BAR_WIDTH, Math.min(BAR_WIDTH, room));
        const filled = Math.round(ratio * size);
        draw(`${label} ${'█'.repeat(filled)}${'░'.repeat(size - filled)} ${figures}`);
      } else if (unit === 'bytes') {
        draw(`${label}… ${formatBytes(done)}`);
      }
    },
    stop() {
      if (drawn) stream.write('\r\u001b[2K');
      drawn = false;
    },
  };
}
