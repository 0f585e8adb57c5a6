import { ApiError } from '@confiance/contract';

/** A failure the user can act on: printed as one line, never with a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly options: { exitCode?: number; code?: string; requestId?: string } = {},
  ) {
    super(message);
  }
  get exitCode(): number {
    return this.options.exitCode ?? 1;
  }
}

/**
 * The command did its work and its answer is « no » (a request the policy denies): the output has
 * already said why, so nothing more is printed; only the exit code tells scripts.
 */
export class NegativeAnswer extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
  }
}

/** The command line itself is wrong (missing or invalid argument): exit code 2. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, { exitCode: 2 });
  }
}

function loginHint(): string {
  return process.env.CONFIANCE_TOKEN
    ? ' Vérifiez la variable CONFIANCE_TOKEN, ou retirez-la et lancez « confiance login ».'
    : ' Lancez « confiance login » pour vous connecter.';
}

function sentence(text: string): string {
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}

/** The one line printed on stderr for any failure, and the exit code that goes with it. */
export function describeError(error: unknown): { line: string; exitCode: number } {
  let message: string;
  let code: string | undefined;
  let requestId: string | undefined;
  let exitCode = 1;
  if (error instanceof ApiError) {
    message = error.message;
    code = error.code;
    requestId = error.requestId;
    if (error.code === 'unauthenticated') message = sentence(message) + loginHint();
    if (error.code === 'network_error') message = `${sentence(message)} Vérifiez CONFIANCE_URL et que le nœud est démarré.`;
  } else if (error instanceof CliError) {
    message = error.message;
    code = error.options.code;
    requestId = error.options.requestId;
    exitCode = error.exitCode;
    if (code === 'unauthenticated') message = sentence(message) + loginHint();
  } else if (error instanceof Error) {
    // The server's ConfigError lists one problem per line; keep the report on one line.
    const problems = (error as { problems?: unknown }).problems;
    message = Array.isArray(problems) ? `Configuration invalide : ${problems.join(' ; ')}` : error.message;
    const c = (error as { code?: unknown }).code;
    code = typeof c === 'string' ? c : undefined;
  } else {
    message = String(error);
  }
  const suffix = [code, requestId].filter(Boolean).join(', ');
  const line = `Erreur : ${message.replace(/\s*\n\s*/g, ' ')}${suffix ? ` (${suffix})` : ''}`;
  return { line, exitCode };
}
