import { Alert, List, Progress, Stack, Text } from '@mantine/core';
import type { QueryAccess, QueryResult } from '@confiance/contract';
import { Fragment, useMemo } from 'react';
import { AlertIcon } from '../../../components/Icons';
import { useI18n } from '../../../i18n';

type AccessPrivacy = NonNullable<QueryAccess['privacy']>;
type ResultPrivacy = NonNullable<QueryResult['privacy']>;

/**
 * ε and δ arrive as exact decimal text (`0.15`, `0.000001`); shown in the reader's format with every
 * digit, where the portal's number format would round 10⁻⁶ to 0.
 */
function useDecimal(): (text: string) => string {
  const { locale } = useI18n();
  return useMemo(() => {
    const format = new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 12 });
    return (text: string) => format.format(Number(text));
  }, [locale]);
}

/** Whether the grant's budget no longer pays for one query. */
export const budgetExhausted = (privacy: AccessPrivacy | null): boolean => privacy !== null && privacy.queriesLeft === 0;

/**
 * The grant's differential-privacy budget beside the builder: ε left of the total as a bar, the
 * queries it still pays for, ε per query, the noise a count gets — and, once spent, a clear stop.
 */
export function PrivacyBudget({ privacy }: { privacy: AccessPrivacy }) {
  const { t, formatNumber } = useI18n();
  const decimal = useDecimal();
  const left = decimal(privacy.epsilonLeft);
  const total = decimal(privacy.epsilon);
  const percent = Number(privacy.epsilon) > 0 ? Math.round((Number(privacy.epsilonLeft) / Number(privacy.epsilon)) * 100) : 0;
  const facts: { label: string; value: string }[] = [
    { label: t('query.privacy.budget'), value: t('query.privacy.budgetValue', { left, total }) },
    { label: t('query.privacy.queriesLeft'), value: formatNumber(privacy.queriesLeft) },
    { label: t('query.privacy.perQuery'), value: decimal(privacy.epsilonPerQuery) },
    { label: t('query.privacy.noise'), value: t('query.privacy.noiseValue', { n: formatNumber(privacy.countNoise95) }) },
    { label: t('query.privacy.mechanism'), value: t(`query.privacy.mechanism.${privacy.mechanism}`) },
    ...(privacy.delta !== null ? [{ label: t('query.privacy.delta'), value: decimal(privacy.delta) }] : []),
    {
      label: t('query.privacy.clipping'),
      value:
        privacy.clipping.length > 0
          ? privacy.clipping
              .map((c) =>
                t('query.privacy.clippingRange', { column: c.column, lower: formatNumber(c.lower), upper: formatNumber(c.upper) }),
              )
              .join(', ')
          : t('query.privacy.clippingNone'),
    },
  ];
  return (
    <Stack gap="xs" component="section" aria-labelledby="privacy-budget-title" data-testid="privacy-budget">
      <Text fw={600} size="sm" id="privacy-budget-title" component="h3" m={0}>
        {t('query.privacy.title')}
      </Text>
      <Text size="sm">{t('query.privacy.explain')}</Text>
      <Progress
        value={percent}
        color={budgetExhausted(privacy) ? 'red' : percent < 25 ? 'orange' : 'teal'}
        size="lg"
        aria-label={t('query.privacy.progress', { left, total })}
      />
      <dl className="facts">
        {facts.map((f) => (
          <Fragment key={f.label}>
            <dt>{f.label}</dt>
            <dd>{f.value}</dd>
          </Fragment>
        ))}
      </dl>
      {budgetExhausted(privacy) && (
        <Alert color="red" variant="light" icon={<AlertIcon />} role="alert" title={t('query.privacy.exhaustedTitle')}>
          <Text size="sm">{t('query.privacy.exhausted', { left, perQuery: decimal(privacy.epsilonPerQuery) })}</Text>
        </Alert>
      )}
    </Stack>
  );
}

/** Under a noisy result: each measure's noise at 95 %, and the ε the query spent and left. */
export function PrivacyLegend({ privacy }: { privacy: ResultPrivacy }) {
  const { t, formatNumber } = useI18n();
  const decimal = useDecimal();
  return (
    <Stack gap={4} data-testid="privacy-legend">
      <Text size="sm">
        <Text span fw={600} size="sm">
          {t('query.privacy.legendTitle')}
        </Text>{' '}
        {t('query.privacy.legend')}
      </Text>
      <List size="sm">
        {privacy.measures.map((m) => (
          <List.Item key={m.column}>
            {t('query.privacy.measure', { column: m.column, n: formatNumber(m.noise95), description: m.description })}
          </List.Item>
        ))}
      </List>
      <Text size="sm">{t('query.privacy.spent', { spent: decimal(privacy.epsilonSpent), left: decimal(privacy.epsilonLeft) })}</Text>
    </Stack>
  );
}
