import readline from 'node:readline/promises';
import { CliError, UsageError } from './errors';

/** Reads all of stdin, e.g. `printf %s "$PASSWORD" | confiance login --password-stdin`. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A password piped on stdin, without the line ending `echo` adds. */
export async function passwordFromStdin(): Promise<string> {
  const password = (await readStdin()).replace(/[\r\n]+$/, '');
  if (!password) throw new UsageError('Aucun mot de passe reçu sur l’entrée standard (--password-stdin).');
  return password;
}

function requireTerminal(what: string, flag: string): void {
  if (!process.stdin.isTTY) throw new UsageError(`Pas de terminal pour saisir ${what} : utilisez ${flag}.`);
}

/** A visible answer, asked on stderr so that stdout stays clean. */
export async function ask(question: string, flag: string): Promise<string> {
  requireTerminal('la réponse', flag);
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(question)).trim();
  } finally {
    rl.close();
  }
}

/** Hidden input: nothing is echoed, so the password never lands in the terminal's scrollback. */
export async function askHidden(question: string): Promise<string> {
  requireTerminal('le mot de passe', '--password-stdin');
  const stdin = process.stdin;
  process.stderr.write(question);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise<string>((resolve, reject) => {
    let value = '';
    const finish = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
    };
    const onData = (chunk: string) => {
      // Terminals wrap pasted text in bracketed-paste markers; they are not part of the password.
      for (const ch of chunk.replace(/\u001b\[20[01]~/g, '')) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          finish();
          resolve(value);
          return;
        }
        if (ch === '\u0003') {
          finish();
          reject(new CliError('Saisie interrompue.', { exitCode: 130 }));
          return;
        }
        if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
        else if (ch >= ' ') value += ch;
      }
    };
    stdin.on('data', onData);
  });
}
