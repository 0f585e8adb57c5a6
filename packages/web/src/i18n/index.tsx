import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { en } from './en';
import { fr, type MessageKey, type Messages, type Plural } from './fr';

export type { MessageKey } from './fr';
export type Locale = 'fr' | 'en';
export const LOCALES: readonly Locale[] = ['fr', 'en'];

const catalogs: Record<Locale, Messages> = { fr, en };
/** BCP 47 tags for Intl: French formats follow fr-FR (1 234,5 ; 28 nov. 2026). */
const INTL_LOCALE: Record<Locale, string> = { fr: 'fr-FR', en: 'en-GB' };
const STORAGE_KEY = 'confiance.locale';

export type Vars = Record<string, string | number>;
export type Translate = (key: MessageKey, vars?: Vars) => string;

export interface I18n {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  t: Translate;
  formatDate: (iso: string | Date) => string;
  formatDateTime: (iso: string | Date) => string;
  formatNumber: (n: number) => string;
}

function storedLocale(): Locale | null {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    return value === 'fr' || value === 'en' ? value : null;
  } catch {
    return null; // storage disabled (private mode, strict settings): French by default
  }
}

/** Did the visitor choose a language on this browser? If not, the profile's language may apply. */
export function hasStoredLocale(): boolean {
  return storedLocale() !== null;
}

function interpolate(template: string, vars: Vars | undefined, number: Intl.NumberFormat): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = vars[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? number.format(value) : value;
  });
}

export function createI18n(locale: Locale, setLocale: (locale: Locale) => void): I18n {
  const messages = catalogs[locale];
  const tag = INTL_LOCALE[locale];
  const number = new Intl.NumberFormat(tag);
  const plural = new Intl.PluralRules(tag);
  const date = new Intl.DateTimeFormat(tag, { dateStyle: 'medium' });
  const dateTime = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short' });
  const t: Translate = (key, vars) => {
    const message: string | Plural = messages[key];
    if (typeof message === 'string') return interpolate(message, vars, number);
    const count = typeof vars?.count === 'number' ? vars.count : 0;
    return interpolate(plural.select(count) === 'one' ? message.one : message.other, vars, number);
  };
  return {
    locale,
    setLocale,
    t,
    formatDate: (value) => date.format(typeof value === 'string' ? new Date(value) : value),
    formatDateTime: (value) => dateTime.format(typeof value === 'string' ? new Date(value) : value),
    formatNumber: (n) => number.format(n),
  };
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(() => storedLocale() ?? 'fr');
  const setLocale = useCallback((next: Locale) => {
    setLocaleState(next);
    try {
      window.localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // not persisted; the choice still holds for this page
    }
  }, []);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const value = useMemo(() => createI18n(locale, setLocale), [locale, setLocale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n must be used inside <I18nProvider>');
  return value;
}

export function useT(): Translate {
  return useI18n().t;
}
