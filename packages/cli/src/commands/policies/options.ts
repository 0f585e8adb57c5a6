import { isPurpose, purposeTerm } from '@confiance/contract';
import { InvalidArgumentError } from 'commander';

/** Option parsers shared by `offers` and `policies`: bad values are refused before anything is sent (exit code 2). */

/** A DPV purpose in any spelling (`AcademicResearch`, `dpv:AcademicResearch`, its IRI), as `dpv:AcademicResearch`. */
export function dpvPurpose(value: string): string {
  const t = purposeTerm(value.trim());
  if (t === null) throw new InvalidArgumentError('finalité DPV inconnue ; par exemple dpv:ResearchAndDevelopment ou dpv:AcademicResearch.');
  return `dpv:${t}`;
}

/**
 * A purpose for the local evaluator: a DPV purpose as above, or a term of another vocabulary
 * (prefixed or full IRI) since `policies evaluate` reads foreign policies too. A bare word that is
 * not a DPV purpose is a typo more often than not, so it is refused.
 */
export function anyPurpose(value: string): string {
  const v = value.trim();
  if (isPurpose(v)) return dpvPurpose(v);
  if (/^[a-zA-Z][\w+.-]*:\S+$/.test(v) && !v.startsWith('dpv:')) return v;
  throw new InvalidArgumentError('finalité DPV inconnue (par exemple dpv:AcademicResearch), ou IRI complète d’un autre vocabulaire.');
}

/** A duration in months (`12`), or an ISO 8601 duration as ODRL writes them (`P1Y`, `P90D`), as ISO. */
export function duration(value: string): string {
  const v = value.trim();
  if (/^\d+$/.test(v) && Number(v) > 0 && Number(v) <= 1200) return `P${Number(v)}M`;
  if (/^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?!$)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/.test(v)) return v;
  throw new InvalidArgumentError('nombre de mois (par exemple 12) ou durée ISO 8601 (P1Y, P90D) attendu.');
}

/** An instant for `dateTime` constraints: ISO 8601 date or date and time. */
export function instant(value: string): string {
  const v = value.trim();
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(v) || Number.isNaN(Date.parse(v)))
    throw new InvalidArgumentError('date ISO 8601 attendue, par exemple 2026-11-28 ou 2026-11-28T10:00:00Z.');
  return v;
}
