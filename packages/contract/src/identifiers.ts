/**
 * French company identifiers. SIREN and SIRET carry a Luhn check digit, so a typo is caught
 * before anything is stored; the intra-community VAT key is derived from the SIREN.
 */

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * La Poste is the one exception INSEE publishes: its establishments are too many for the Luhn
 * scheme, so their SIRET digits add up to a multiple of five instead. Its head office
 * (35600000000048) is an ordinary Luhn number.
 */
const LA_POSTE_SIREN = '356000000';

export function isValidSiren(value: string): boolean {
  return /^\d{9}$/.test(value) && luhnValid(value);
}

export function isValidSiret(value: string): boolean {
  if (!/^\d{14}$/.test(value)) return false;
  if (luhnValid(value)) return true;
  return value.startsWith(LA_POSTE_SIREN) && [...value].reduce((s, c) => s + Number(c), 0) % 5 === 0;
}

export function frenchVatNumber(siren: string): string {
  const key = (12 + 3 * (Number(siren) % 97)) % 97;
  return `FR${String(key).padStart(2, '0')}${siren}`;
}

export function isValidFrenchVat(value: string, siren?: string | null): boolean {
  const m = /^FR(\d{2})(\d{9})$/.exec(value);
  if (!m) return false;
  if (siren && m[2] !== siren) return false;
  return frenchVatNumber(m[2]!) === value;
}

/** NAF rév. 2 sub-class, e.g. "84.11Z" or "72.19Z". */
export function isValidNaf(value: string): boolean {
  return /^\d{2}\.\d{2}[A-Z]$/.test(value);
}
