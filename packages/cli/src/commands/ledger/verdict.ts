import { isTlogError, type TlogErrorCode } from '@confiance/contract';
import { CliError } from '../../errors';
import { note, print, printJson } from '../../output';

/**
 * What `ledger verify` and `ledger watch` report: every check made, passed or failed, so that a
 * failure says exactly which piece of evidence does not hold — and a success what was proven.
 */

/** Exit code when the evidence does not hold (a bad signature, a proof that fails, a fork). */
export const EXIT_UNVERIFIED = 3;

export type CheckName =
  | 'checkpoint.signature'
  | 'checkpoint.origin'
  | 'checkpoint.cosignature'
  | 'entry.format'
  | 'entry.leaf_hash'
  | 'entry.leaf'
  | 'entry.commitment'
  | 'entry.inclusion'
  | 'consistency.old_checkpoint'
  | 'consistency.proof'
  | 'tiles.entries'
  | 'tiles.hashes'
  | 'tiles.root';

export interface Check {
  check: CheckName;
  ok: boolean;
  message: string;
  /** The library's reason when a proof or signature fails (`root_mismatch`, `invalid_signature`…). */
  code?: string;
}

const REASONS: Record<TlogErrorCode, string> = {
  malformed_encoding: 'encodage invalide (base64, hexadécimal ou UTF-8)',
  not_canonicalizable: 'valeur que le JSON canonique (RFC 8785) ne sait pas écrire',
  invalid_size: 'taille ou position invalide',
  index_out_of_range: 'position au-delà de la taille de l’arbre',
  invalid_tree_sizes: 'tailles d’arbre incompatibles',
  invalid_hash_size: 'empreinte qui ne fait pas 32 octets',
  wrong_proof_size: 'la preuve n’a pas le nombre d’empreintes attendu pour ces tailles',
  root_mismatch: 'la preuve ne mène pas à la racine signée',
  malformed_note: 'note signée mal formée',
  malformed_verifier_key: 'clé de vérification mal formée',
  key_id_mismatch: 'l’identifiant de la clé ne correspond pas à son nom et à sa valeur',
  unknown_algorithm: 'algorithme de signature inconnu',
  ambiguous_key: 'deux clés portent le même nom et le même identifiant',
  invalid_signature: 'signature invalide : le texte n’est pas celui que la clé a signé',
  unverified_note: 'aucune signature de la clé attendue',
  malformed_checkpoint: 'point de contrôle mal formé',
  malformed_cosignature: 'cosignature mal formée',
  malformed_tile_path: 'chemin de tuile invalide',
  malformed_tile: 'tuile mal formée',
  malformed_entry_bundle: 'paquet d’entrées mal formé',
  entry_too_large: 'entrée de plus de 64 Kio',
};

/** Evidence that disagrees with itself (a leaf and its stated hash, a tile and the tiles below it). */
export function mismatch(message: string): CliError {
  return new CliError(message, { code: 'mismatch' });
}

/** A French reason for a failed check, with the library's English detail for the curious. */
export function reason(error: unknown): { message: string; code?: string } {
  if (isTlogError(error)) return { message: `${REASONS[error.code]} (${error.message})`, code: error.code };
  if (error instanceof CliError) return { message: error.message, ...(error.options.code ? { code: error.options.code } : {}) };
  return { message: error instanceof Error ? error.message : String(error) };
}

export class Verdict {
  readonly checks: Check[] = [];
  /** What was not checked, and why (details not shown to this caller, say). */
  readonly notes: string[] = [];

  /** `label` names what was checked (« Signature du point de contrôle »), `detail` what was found. */
  pass(check: CheckName, label: string, detail = 'valide'): void {
    this.checks.push({ check, ok: true, message: `${label} : ${detail}` });
  }

  fail(check: CheckName, label: string, why: string, code?: string): void {
    this.checks.push({ check, ok: false, message: `${label} : ${why}`, ...(code ? { code } : {}) });
  }

  /** Runs one check: passes when `run` resolves (with `detail` of its value), fails with the reason it throws. */
  async attempt<T>(check: CheckName, label: string, run: () => Promise<T>, detail?: (value: T) => string): Promise<T | undefined> {
    try {
      const value = await run();
      this.pass(check, label, detail?.(value));
      return value;
    } catch (error) {
      const { message, code } = reason(error);
      this.fail(check, label, message, code);
      return undefined;
    }
  }

  get ok(): boolean {
    return this.checks.length > 0 && this.checks.every((c) => c.ok);
  }

  get failures(): Check[] {
    return this.checks.filter((c) => !c.ok);
  }
}

/**
 * Prints the verdict (one line per check, then « Vérifié. » or how many failed) and throws with exit
 * code 3 when a check failed. `toStderr` keeps stdout for the evidence itself (`ledger checkpoint`
 * printing the note).
 */
export function report(verdict: Verdict, options: { json?: boolean; toStderr?: boolean; extra?: Record<string, unknown> } = {}): void {
  const line = options.toStderr ? note : print;
  if (options.json) printJson({ verified: verdict.ok, ...options.extra, checks: verdict.checks, notes: verdict.notes });
  else {
    for (const c of verdict.checks) line(`${c.ok ? '✓' : '✗'} ${c.message}`);
    for (const n of verdict.notes) line(`· ${n}`);
    if (verdict.ok) line('Vérifié.');
  }
  if (verdict.ok) return;
  const failures = verdict.failures;
  throw new CliError(
    `Vérification échouée (${failures.length} contrôle${failures.length > 1 ? 's' : ''} sur ${verdict.checks.length}) : ${failures.map((f) => f.message).join(' ; ')}`,
    { exitCode: EXIT_UNVERIFIED, code: 'verification_failed' },
  );
}
