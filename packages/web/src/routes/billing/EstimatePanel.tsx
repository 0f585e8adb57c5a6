import { Alert, Button, Grid, Group, List, NumberInput, Paper, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import type { OfferView } from '@confiance/contract';
import { Fragment, useState } from 'react';
import { useEstimate, type EstimateView } from '../../api/billing';
import { errorText, isApiError } from '../../components/errors';
import { AlertIcon, InfoIcon } from '../../components/Icons';
import { useI18n } from '../../i18n';
import { money, monthName, percent } from './format';

/**
 * Issue 9, « before a query or a signature the consumer sees an estimate »: the node prices the
 * use with the statement's own arithmetic (`POST /billing/estimate`), so what is shown here is
 * what the month's statement will say for the same use.
 */

type Line = EstimateView['lines'][number];

/** The member discount of the estimate's lines, summed: « −0,05 € (10 %) ». */
function discountOf(lines: readonly Line[]): { amount: number; percents: string[] } {
  let amount = 0;
  const percents = new Set<string>();
  for (const line of lines) {
    if (line.discount && line.discount.amount !== 0) {
      amount += line.discount.amount;
      percents.add(line.discount.percent);
    }
  }
  return { amount, percents: [...percents] };
}

function Facts({ facts }: { facts: readonly { label: string; value: string }[] }) {
  return (
    <dl className="facts">
      {facts.map((f) => (
        <Fragment key={f.label}>
          <dt>{f.label}</dt>
          <dd>{f.value}</dd>
        </Fragment>
      ))}
    </dl>
  );
}

/** 1er du mois suivant la période « 2026-11 », in words: « décembre 2026 ». */
function nextMonth(locale: string, period: string): string {
  const [year = 0, month = 1] = period.split('-').map(Number);
  const next = month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
  return monthName(locale, next);
}

/**
 * « Coût estimé », beside the query builder: what the next query costs under the chosen contract,
 * the plan, a subscription's month so far, and a clear warning once its quota is spent (the node
 * then refuses the query). Nothing for a free contract.
 */
export function QueryCostPanel({ contract }: { contract: string }) {
  const { t, locale, formatNumber } = useI18n();
  const estimate = useEstimate({ contract, usage: { queries: 1 } });
  if (estimate.isPending) return <Skeleton h={64} role="status" aria-label={t('estimate.loading')} />;
  if (estimate.isError) {
    // The builder stays usable: a contract the caller may query but not price is not worth a red box.
    if (isApiError(estimate.error, 'forbidden', 'not_found')) return null;
    return (
      <Alert color="orange" variant="light" icon={<AlertIcon />} title={t('estimate.failed')}>
        <Group gap="sm" justify="space-between">
          <Text size="sm">{errorText(t, estimate.error)}</Text>
          <Button size="xs" variant="default" onClick={() => void estimate.refetch()}>
            {t('common.retry')}
          </Button>
        </Group>
      </Alert>
    );
  }
  const e = estimate.data;
  const { plan } = e;
  if (plan.kind === 'free') return null;

  const both = (net: number, gross: number) => t('estimate.netGross', { net: money(locale, net), gross: money(locale, gross) });
  const discount = discountOf(e.lines);
  const facts: { label: string; value: string }[] = [];
  let spent = false;
  if (plan.kind === 'per_query') {
    facts.push({ label: t('estimate.thisQuery'), value: both(e.totals.net, e.totals.gross) });
  } else if (plan.kind === 'per_units') {
    facts.push({
      label: t('estimate.unitPrice'),
      value: t(`estimate.per1000.${plan.unit}`, { price: money(locale, e.tariff?.price ?? plan.price) }),
    });
  } else {
    const month = e.month;
    const used = month?.queries ?? 0;
    const included = month?.included ?? plan.includedQueries;
    spent = included !== null && used >= included;
    facts.push({
      label: t('estimate.monthQueries'),
      value:
        included === null
          ? t('estimate.monthUnlimited', { used: formatNumber(used) })
          : t('estimate.monthOf', { used: formatNumber(used), included: formatNumber(included) }),
    });
    facts.push({
      label: t('estimate.thisQuery'),
      value: !spent
        ? t('estimate.included')
        : plan.extraQueryPrice !== null
          ? t('estimate.extra', { price: money(locale, plan.extraQueryPrice) })
          : t('estimate.refused'),
    });
    if (!spent || plan.extraQueryPrice !== null) facts.push({ label: t('estimate.monthTotal'), value: both(e.totals.net, e.totals.gross) });
  }
  if (discount.amount !== 0)
    facts.push({
      label: t('estimate.memberDiscount'),
      value: t('estimate.discountValue', {
        amount: money(locale, -discount.amount),
        percent: discount.percents.map((p) => percent(locale, p)).join(', '),
      }),
    });

  return (
    <Paper withBorder radius="sm" p="md" component="section" aria-labelledby="query-cost-title" data-testid="query-cost">
      <Stack gap="xs">
        <Group gap="sm" justify="space-between" align="baseline">
          <Title order={3} size="h5" id="query-cost-title">
            {t('estimate.title')}
          </Title>
          <Text size="sm" c="dimmed" lang="fr">
            {e.planSummary}
          </Text>
        </Group>
        <Facts facts={facts} />
        {plan.kind === 'per_units' && (
          <Text size="xs" c="dimmed">
            {t(`estimate.dependsOn.${plan.unit}`)}
          </Text>
        )}
        {spent && plan.kind === 'subscription' && plan.extraQueryPrice === null && e.month && (
          <Alert color="red" variant="light" icon={<AlertIcon />} role="alert" title={t('estimate.quotaSpent')}>
            <Text size="sm">
              {t('estimate.quotaSpentBody', {
                included: formatNumber(e.month.included ?? 0),
                next: nextMonth(locale, e.month.period),
              })}
            </Text>
          </Alert>
        )}
        {e.tariff && e.tariff.tariff !== 'base' && (
          <Text size="xs" c="dimmed" lang="fr">
            {e.tariff.reason}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

const asCount = (v: number | string): number => {
  const n = typeof v === 'number' ? v : Number(String(v).replace(/\s/g, ''));
  return Number.isInteger(n) && n >= 0 ? n : 0;
};

/**
 * « Estimation », in the request wizard for a paid offer: the user says how much they expect to
 * use each month and reads what the month would cost their organisation — lines, member discount,
 * HT, TVA, TTC and the node's notes. Nothing for a free offer.
 */
export function OfferEstimate({ offer, organisation }: { offer: OfferView; organisation: string | null }) {
  const { t, locale, formatNumber } = useI18n();
  const plan = offer.plan;
  const [queries, setQueries] = useState<number | string>(plan.kind === 'subscription' ? (plan.includedQueries ?? 100) : 100);
  const [units, setUnits] = useState<number | string>(10_000);
  const [usage] = useDebouncedValue(
    { queries: Math.min(asCount(queries), 1_000_000), units: Math.min(asCount(units), 1_000_000_000), months: 1 },
    300,
  );
  const estimate = useEstimate(plan.kind === 'free' || !organisation ? null : { offer: offer.id, organisation, usage });
  if (plan.kind === 'free') return null;
  const e = estimate.data;

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="offer-estimate-title" data-testid="offer-estimate">
      <Stack gap="sm">
        <div>
          <Title order={3} size="h4" id="offer-estimate-title">
            {t('estimate.wizard.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('estimate.wizard.intro')}
          </Text>
          <Text size="sm" mt={4} lang="fr">
            {offer.price.summary}
          </Text>
        </div>
        <Grid gap="md">
          <Grid.Col span={{ base: 12, sm: 4 }}>
            <NumberInput
              label={t('estimate.wizard.queries')}
              description={t('estimate.wizard.queriesHint')}
              min={0}
              max={1_000_000}
              allowDecimal={false}
              allowNegative={false}
              thousandSeparator={locale === 'fr' ? '\u202f' : ','}
              value={queries}
              onChange={setQueries}
            />
          </Grid.Col>
          {plan.kind === 'per_units' && (
            <Grid.Col span={{ base: 12, sm: 4 }}>
              <NumberInput
                label={t(`estimate.wizard.units.${plan.unit}`)}
                description={t('estimate.wizard.unitsHint')}
                min={0}
                max={1_000_000_000}
                allowDecimal={false}
                allowNegative={false}
                thousandSeparator={locale === 'fr' ? '\u202f' : ','}
                value={units}
                onChange={setUnits}
              />
            </Grid.Col>
          )}
        </Grid>
        <div aria-live="polite">
          {!organisation ? null : estimate.isPending ? (
            <Skeleton h={120} role="status" aria-label={t('estimate.loading')} />
          ) : estimate.isError ? (
            <Alert color="red" variant="light" icon={<AlertIcon />} title={t('estimate.failed')}>
              <Text size="sm">{locale === 'fr' && isApiError(estimate.error) ? estimate.error.message : errorText(t, estimate.error)}</Text>
            </Alert>
          ) : e ? (
            <Stack gap="sm" data-testid="offer-estimate-result">
              <Table verticalSpacing={4} aria-label={t('estimate.wizard.lines')}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('estimate.col.line')}</Table.Th>
                    <Table.Th scope="col" ta="right">
                      {t('estimate.col.quantity')}
                    </Table.Th>
                    <Table.Th scope="col" ta="right">
                      {t('estimate.col.unitPrice')}
                    </Table.Th>
                    <Table.Th scope="col" ta="right">
                      {t('billing.col.discount')}
                    </Table.Th>
                    <Table.Th scope="col" ta="right">
                      {t('billing.col.net')}
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {e.lines.map((line, i) => (
                    <Table.Tr key={`${line.kind}-${i}`}>
                      <Table.Td lang="fr">{line.label}</Table.Td>
                      <Table.Td ta="right">{`${formatNumber(line.quantity)} ${line.unitLabel}`}</Table.Td>
                      <Table.Td ta="right">
                        {line.baseQuantity === 1
                          ? money(locale, line.unitPrice)
                          : t('estimate.perBase', { price: money(locale, line.unitPrice), base: formatNumber(line.baseQuantity) })}
                      </Table.Td>
                      <Table.Td ta="right">
                        {line.discount && line.discount.amount !== 0
                          ? t('estimate.discountValue', {
                              amount: money(locale, -line.discount.amount),
                              percent: percent(locale, line.discount.percent),
                            })
                          : '—'}
                      </Table.Td>
                      <Table.Td ta="right">{money(locale, line.amount)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              <Facts
                facts={[
                  { label: t('estimate.totalNet'), value: money(locale, e.totals.net) },
                  ...e.totals.breakdown.map((row) => ({ label: t('estimate.vat', { rate: row.label }), value: money(locale, row.vat) })),
                  { label: t('estimate.totalGross'), value: money(locale, e.totals.gross) },
                ]}
              />
              {e.tariff && (
                <Text size="xs" c="dimmed" lang="fr">
                  {e.tariff.reason}
                </Text>
              )}
              {e.notes.length > 0 && (
                <List size="xs" spacing={2} lang="fr" icon={<InfoIcon size={12} />}>
                  {e.notes.map((note, i) => (
                    <List.Item key={i}>{note}</List.Item>
                  ))}
                </List>
              )}
            </Stack>
          ) : null}
        </div>
      </Stack>
    </Paper>
  );
}
