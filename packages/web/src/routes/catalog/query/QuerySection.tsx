import { Alert, Anchor, Badge, Button, Group, Paper, Select, Skeleton, Stack, Tabs, Text } from '@mantine/core';
import type { DatasetView, QueryAccess, QueryInput } from '@confiance/contract';
import { useQueryClient } from '@tanstack/react-query';
import { Fragment, useEffect, useState } from 'react';
import { Link, useLocation } from 'react-router-dom';
import { billingKeys } from '../../../api/billing';
import { useQueryAccess, useRunQuery } from '../../../api/queries';
import { useSession } from '../../../api/session';
import { ErrorState } from '../../../components/ErrorState';
import { isApiError } from '../../../components/errors';
import { LockIcon } from '../../../components/Icons';
import { SectionHeading } from '../../../components/SectionHeading';
import { useI18n } from '../../../i18n';
import { QueryCostPanel } from '../../billing/EstimatePanel';
import { QueryBuilder } from './QueryBuilder';
import { PrivacyBudget, budgetExhausted } from './PrivacyBudget';
import { QueryError, QueryResultView } from './QueryResultView';
import { SqlPanel } from './SqlPanel';

/** The anchor of the section, linked from the dataset's header. */
export const QUERY_SECTION_ID = 'interroger';

function scrollToOffers() {
  const heading = document.getElementById('offers-title');
  heading?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  // The heading takes the focus so that keyboard and screen-reader users land on the offers too.
  heading?.setAttribute('tabindex', '-1');
  heading?.focus({ preventScroll: true });
}

/** Why queries are refused here, and how to obtain them: sign in, or an offer's contract. */
function Refusal({ dataset, reason, signedOut }: { dataset: DatasetView; reason: string | null; signedOut: boolean }) {
  const { t, locale } = useI18n();
  const location = useLocation();
  const back = `${location.pathname}#${QUERY_SECTION_ID}`;
  const offers = dataset.status !== 'withdrawn' && dataset.accessLevel !== 'open';
  return (
    <Alert color="gray" variant="light" icon={<LockIcon />} title={t(signedOut ? 'query.refused.signedOutTitle' : 'query.refused.title')}>
      <Stack gap="sm">
        <Text size="sm">{reason && locale === 'fr' ? reason : t(signedOut ? 'query.refused.signedOut' : 'query.refused.generic')}</Text>
        <Group gap="sm">
          {signedOut && (
            <Button component={Link} to={`/connexion?retour=${encodeURIComponent(back)}`} size="xs">
              {t('user.signIn')}
            </Button>
          )}
          {offers && (
            <Button variant={signedOut ? 'default' : 'filled'} size="xs" onClick={scrollToOffers}>
              {t('query.refused.toOffers')}
            </Button>
          )}
        </Group>
      </Stack>
    </Alert>
  );
}

/** On what ground, under which contract, and within which bounds the caller computes. */
function Bounds({ access, contract, onContract }: { access: QueryAccess; contract: string | null; onContract: (id: string) => void }) {
  const { t, formatDate, formatNumber } = useI18n();
  const contracts = [...new Set([...(access.contract ? [access.contract] : []), ...access.contracts])];
  const current = contract ?? access.contract;
  const { quota } = access;
  const facts: { label: string; value: string }[] = [
    {
      label: t('query.bounds.today'),
      value:
        quota.perDay !== null
          ? t('query.bounds.ofMax', { used: formatNumber(quota.today), max: formatNumber(quota.perDay) })
          : t('query.bounds.noMax', { used: formatNumber(quota.today) }),
    },
    ...(quota.max !== null
      ? [
          {
            label: t('query.bounds.total'),
            value: t('query.bounds.ofMax', { used: formatNumber(quota.used), max: formatNumber(quota.max) }),
          },
        ]
      : []),
    { label: t('query.bounds.rowLimit'), value: formatNumber(access.rowLimit) },
    {
      label: t('query.bounds.validUntil'),
      value: access.validUntil ? formatDate(access.validUntil) : t('query.bounds.noEnd'),
    },
    ...(access.departements.length > 0 ? [{ label: t('query.bounds.departements'), value: access.departements.join(', ') }] : []),
  ];
  return (
    <Paper withBorder radius="sm" p="md">
      <Stack gap="sm">
        <Group gap="xs">
          {access.basis && (
            <Badge variant="light" tt="none">
              {t(`query.basis.${access.basis}`)}
            </Badge>
          )}
          {access.aggregateOnly && (
            <Badge variant="light" color="grape" tt="none">
              {t('query.bounds.aggregateOnly')}
            </Badge>
          )}
          {current && contracts.length <= 1 && (
            <Anchor component={Link} to={`/contrats/${current}`} size="sm">
              {t('query.bounds.contract')}
            </Anchor>
          )}
        </Group>
        {contracts.length > 1 && (
          <Group gap="sm" align="flex-end">
            <Select
              label={t('query.bounds.chooseContract')}
              description={t('query.bounds.chooseContractHint')}
              data={contracts.map((id, i) => ({ value: id, label: t('query.bounds.contractN', { n: i + 1, id: id.slice(0, 8) }) }))}
              value={current}
              onChange={(v) => v && onContract(v)}
              allowDeselect={false}
              w={360}
            />
            {current && (
              <Anchor component={Link} to={`/contrats/${current}`} size="sm" mb={8}>
                {t('query.bounds.contract')}
              </Anchor>
            )}
          </Group>
        )}
        <dl className="facts">
          {facts.map((f) => (
            <Fragment key={f.label}>
              <dt>{f.label}</dt>
              <dd>{f.value}</dd>
            </Fragment>
          ))}
        </dl>
        {access.aggregateOnly && access.disclosure && (
          <Text size="xs" c="dimmed">
            {t('query.bounds.disclosure', {
              n: access.disclosure.suppressAtOrBelow ?? 0,
              round: access.disclosure.roundTo,
            })}
          </Text>
        )}
        {access.privacy && <PrivacyBudget privacy={access.privacy} />}
      </Stack>
    </Paper>
  );
}

function Workbench({
  dataset,
  access,
  contract,
  onContract,
}: {
  dataset: DatasetView;
  access: QueryAccess;
  contract: string | null;
  onContract: (id: string) => void;
}) {
  const { t } = useI18n();
  const run = useRunQuery(dataset.slug);
  const queryClient = useQueryClient();
  const [input, setInput] = useState<QueryInput | null>(null);
  const current = contract ?? access.contract;
  const execute = (next: QueryInput) => {
    setInput(next);
    // A subscription's month counts each query: the cost beside the builder is asked again after it.
    run.mutate(next, { onSettled: () => void queryClient.invalidateQueries({ queryKey: billingKeys.estimates }) });
  };
  return (
    <Stack gap="md">
      <Bounds access={access} contract={contract} onContract={onContract} />
      {current && <QueryCostPanel key={current} contract={current} />}
      {/* A spent budget pays for no query: the builder gives way to the notice in the bounds. */}
      {!budgetExhausted(access.privacy) && (
        <Tabs defaultValue="builder">
          <Tabs.List>
            <Tabs.Tab value="builder">{t('query.tab.builder')}</Tabs.Tab>
            {access.sql && <Tabs.Tab value="sql">{t('query.tab.sql')}</Tabs.Tab>}
          </Tabs.List>
          <Tabs.Panel value="builder" pt="md">
            <QueryBuilder
              key={contract ?? ''}
              access={access}
              contract={contract ?? access.contract}
              running={run.isPending}
              onRun={execute}
            />
          </Tabs.Panel>
          {access.sql && (
            <Tabs.Panel value="sql" pt="md">
              <SqlPanel access={access} contract={contract ?? access.contract} running={run.isPending} onRun={execute} />
            </Tabs.Panel>
          )}
        </Tabs>
      )}
      {run.isPending ? (
        <Skeleton h={160} role="status" aria-label={t('query.running')} />
      ) : run.isError ? (
        <QueryError error={run.error} />
      ) : run.data && input ? (
        <QueryResultView slug={dataset.slug} result={run.data} input={input} />
      ) : null}
    </Stack>
  );
}

/** « Interroger »: compute where the data lives and receive only what the contract allows. */
export function QuerySection({ dataset }: { dataset: DatasetView }) {
  const { t } = useI18n();
  const [contract, setContract] = useState<string | null>(null);
  const access = useQueryAccess(dataset.slug, contract);
  const signedOut = !useSession().data;
  const { hash } = useLocation();
  // The page loads after the browser looked for the anchor (« Interroger », a sign-in's way back).
  useEffect(() => {
    if (hash === `#${QUERY_SECTION_ID}`) document.getElementById(QUERY_SECTION_ID)?.scrollIntoView({ block: 'start' });
  }, [hash]);
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="query-title" id={QUERY_SECTION_ID}>
      <Stack gap="md">
        <SectionHeading id="query-title" title={t('query.title')} intro={t('query.intro')} introMaxWidth={720} />
        {access.isPending ? (
          <Skeleton h={120} role="status" aria-label={t('app.loading')} />
        ) : isApiError(access.error, 'unauthenticated') ? (
          <Refusal dataset={dataset} reason={null} signedOut />
        ) : access.isError ? (
          <ErrorState title={t('query.loadFailed')} error={access.error} onRetry={() => void access.refetch()} />
        ) : !access.data.allowed ? (
          <Refusal dataset={dataset} reason={access.data.reason} signedOut={signedOut} />
        ) : (
          <Workbench dataset={dataset} access={access.data} contract={contract} onContract={setContract} />
        )}
      </Stack>
    </Paper>
  );
}
