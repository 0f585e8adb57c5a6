import { Badge } from '@mantine/core';
import { COMMON_PURPOSES, DPV_PURPOSES, purposeLabel, type AgreementMode, type DataUse, type OfferTemplate } from '@confiance/contract';
import type { ReactNode } from 'react';
import { useI18n, type Locale, type MessageKey, type Translate } from '../../i18n';

/**
 * Titles of light alerts in these colours: Mantine's shade falls below 4.5:1 on the tinted
 * background; the same dark shades as the badges' text (components/categories) do not.
 */
const ALERT_TITLE = { teal: '#05664a', orange: '#a23b00', yellow: '#6b4f00' } as const;
export function readableTitle(color: keyof typeof ALERT_TITLE) {
  return { title: { color: ALERT_TITLE[color] } };
}

export const AGREEMENT_COLORS: Record<AgreementMode, string> = {
  automatic: 'teal',
  provider_approval: 'orange',
  ethics_review: 'grape',
};

export function AgreementBadge({ mode, size = 'sm' }: { mode: AgreementMode; size?: 'sm' | 'md' }) {
  const { t } = useI18n();
  return (
    <Badge variant="light" color={AGREEMENT_COLORS[mode]} size={size} tt="none">
      {t(`policy.agreement.${mode}`)}
    </Badge>
  );
}

/** Actions the portal names; others (a foreign ODRL term in an expert's policy) show as written. */
const ACTION_KEYS: Readonly<Record<string, MessageKey>> = {
  use: 'policy.action.use',
  read: 'policy.action.read',
  aggregate: 'policy.action.aggregate',
  reproduce: 'policy.action.reproduce',
  distribute: 'policy.action.distribute',
  sell: 'policy.action.sell',
  commercialize: 'policy.action.commercialize',
  derive: 'policy.action.derive',
  attribute: 'policy.action.attribute',
  compensate: 'policy.action.compensate',
  'cf:queryAggregate': 'policy.action.cf:queryAggregate',
  'cf:queryRows': 'policy.action.cf:queryRows',
  'cf:querySql': 'policy.action.cf:querySql',
  'cf:download': 'policy.action.cf:download',
  'cf:reidentify': 'policy.action.cf:reidentify',
  'cf:ethicsReview': 'policy.action.cf:ethicsReview',
};

/** `fallback`: the node's own (French) label, for an action the portal does not name. */
export function actionText(t: Translate, action: string, fallback?: string): string {
  const key = ACTION_KEYS[action];
  return key ? t(key) : (fallback ?? action);
}

export function templateText(t: Translate, template: OfferTemplate): string {
  return t(`policy.template.${template}`);
}

export function dataUseText(t: Translate, use: DataUse): string {
  return t(`policy.use.${use}`);
}

export function purposeText(locale: Locale, value: string): string {
  return purposeLabel(value, locale);
}

export interface PurposeGroup {
  group: string;
  items: { value: string; label: string }[];
}

/** Every DPV purpose for a picker: the common ones first, then all others by label. */
export function purposeOptions(t: Translate, locale: Locale): PurposeGroup[] {
  const common = new Set(COMMON_PURPOSES);
  const item = (term: string) => ({ value: `dpv:${term}`, label: purposeLabel(term, locale) });
  const others = DPV_PURPOSES.filter((p) => !common.has(p.term))
    .map((p) => item(p.term))
    .sort((a, b) => a.label.localeCompare(b.label, locale));
  return [
    { group: t('policy.purposes.common'), items: COMMON_PURPOSES.map(item) },
    { group: t('policy.purposes.all'), items: others },
  ];
}

/**
 * Sentences the node writes (rule summaries, decision reasons) are French; in another interface
 * language they are marked as such, so a screen reader reads them with a French voice.
 */
export function FrenchText({ children }: { children: ReactNode }) {
  const { locale } = useI18n();
  return locale === 'fr' ? <>{children}</> : <span lang="fr">{children}</span>;
}
