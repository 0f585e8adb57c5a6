import { Alert, Anchor, Button, Group, Modal, Radio, Select, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { InvoiceIssueInput, InvoicePurpose } from '@confiance/contract';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useIssueInvoice } from '../../api/billing';
import { AlertIcon } from '../../components/Icons';
import { useI18n } from '../../i18n';
import { ActionError } from '../contracts/ActionError';
import { currentPeriod, issueProblem, monthName, recentPeriods, serverIssues } from './format';
import type { OrganisationOption } from './organisations';

interface IssueInvoiceDialogProps {
  opened: boolean;
  onClose: () => void;
  /** Sellers the user may invoice for: their organisations where they are admin (operator: every member). */
  providers: readonly OrganisationOption[];
  /** Every member, as buyers. */
  consumers: readonly OrganisationOption[];
  /** Public bodies pay through Chorus Pro, which asks for their engagement number. */
  publicBuyers: ReadonlySet<string>;
  /** The operator may also issue the association's fee invoice to a provider. */
  mayIssueFee: boolean;
}

/**
 * Issues a provider's invoice to a consumer for a month (under the association's mandate), or
 * the association's fee invoice to a provider. Refusals say what to do: a live invoice already
 * covers the month (cancel it with a credit note first), or there is nothing billable.
 */
export function IssueInvoiceDialog({ opened, onClose, providers, consumers, publicBuyers, mayIssueFee }: IssueInvoiceDialogProps) {
  const { t, locale } = useI18n();
  const navigate = useNavigate();
  const issue = useIssueInvoice();
  const [purpose, setPurpose] = useState<InvoicePurpose>('usage');
  const [provider, setProvider] = useState<string | null>(providers.length === 1 ? (providers[0]?.value ?? null) : null);
  const [consumer, setConsumer] = useState<string | null>(null);
  const [period, setPeriod] = useState<string>(previousPeriod());
  const [engagement, setEngagement] = useState('');
  const [missing, setMissing] = useState<Record<string, string>>({});

  const close = () => {
    issue.reset();
    setMissing({});
    onClose();
  };
  const name = (options: readonly OrganisationOption[], slug: string | null) => options.find((o) => o.value === slug)?.label ?? slug ?? '';
  const fee = purpose === 'fee';
  const server = serverIssues(issue.error);
  const problem = issueProblem(issue.error);

  const submit = () => {
    const errors: Record<string, string> = {};
    if (!provider) errors.provider = t('billing.issue.providerRequired');
    if (!fee && !consumer) errors.consumer = t('billing.issue.consumerRequired');
    if (!fee && provider && consumer === provider) errors.consumer = t('billing.issue.sameParty');
    setMissing(errors);
    if (Object.keys(errors).length > 0 || !provider) return;
    const input: InvoiceIssueInput = fee
      ? { purpose: 'fee', provider, period }
      : {
          purpose: 'usage',
          provider,
          consumer: consumer ?? '',
          period,
          ...(engagement.trim() ? { engagementNumber: engagement.trim() } : {}),
        };
    issue.mutate(input, {
      onSuccess: (invoice) => {
        notifications.show({ color: 'teal', message: t('billing.issue.done', { number: invoice.number }) });
        close();
        void navigate(`/facturation/factures/${invoice.id}`);
      },
    });
  };

  const month = monthName(locale, period);
  const names = { provider: name(providers, provider), consumer: name(consumers, consumer), month };
  const refusal: { title: string; text: string; invoice: string | null } | null =
    problem?.kind === 'already_invoiced'
      ? {
          title: t('billing.issue.refused.conflict'),
          text: fee ? t('billing.issue.alreadyInvoicedFee', names) : t('billing.issue.alreadyInvoiced', names),
          invoice: problem.invoice,
        }
      : problem?.kind === 'nothing_to_invoice'
        ? {
            title: t('billing.issue.refused.empty'),
            text: fee ? t('billing.issue.nothingFee', names) : t('billing.issue.nothing', names),
            invoice: null,
          }
        : problem?.kind === 'refused'
          ? {
              title: t('billing.issue.refused.other'),
              // The node explains in French (a party's identity is incomplete…); another language gets the generic sentence.
              text: locale === 'fr' ? problem.message : t('billing.issue.refusedGeneric'),
              invoice: null,
            }
          : null;

  return (
    <Modal opened={opened} onClose={close} title={t('billing.issue.title')} centered size="lg">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
        noValidate
      >
        <Stack gap="md">
          <Text size="sm">{fee ? t('billing.issue.feeBody') : t('billing.issue.body')}</Text>
          {mayIssueFee && (
            <Radio.Group
              label={t('billing.issue.purpose')}
              value={purpose}
              onChange={(v) => {
                setPurpose(v === 'fee' ? 'fee' : 'usage');
                issue.reset();
              }}
            >
              <Stack gap={6} mt={6}>
                <Radio value="usage" label={t('billing.purpose.usage')} />
                <Radio value="fee" label={t('billing.purpose.fee')} />
              </Stack>
            </Radio.Group>
          )}
          <Select
            label={fee ? t('billing.issue.feeProvider') : t('billing.issue.provider')}
            data={providers as OrganisationOption[]}
            value={provider}
            onChange={(v) => {
              setProvider(v);
              setMissing((m) => ({ ...m, provider: '' }));
              issue.reset();
            }}
            searchable={providers.length > 8}
            required
            error={missing.provider || server.get('provider')}
            nothingFoundMessage={t('billing.noOrganisation')}
          />
          {!fee && (
            <Select
              label={t('billing.issue.consumer')}
              data={consumers.filter((o) => o.value !== provider) as OrganisationOption[]}
              value={consumer}
              onChange={(v) => {
                setConsumer(v);
                setMissing((m) => ({ ...m, consumer: '' }));
                issue.reset();
              }}
              searchable={consumers.length > 8}
              required
              error={missing.consumer || server.get('consumer')}
              nothingFoundMessage={t('billing.noOrganisation')}
            />
          )}
          <Select
            label={t('billing.period')}
            data={recentPeriods(24).map((p) => ({ value: p, label: monthName(locale, p) }))}
            value={period}
            onChange={(v) => {
              if (v) setPeriod(v);
              issue.reset();
            }}
            allowDeselect={false}
            error={server.get('period')}
          />
          {!fee && (
            <TextInput
              label={t('billing.issue.engagement')}
              description={consumer && publicBuyers.has(consumer) ? t('billing.issue.engagementPublic') : t('billing.issue.engagementHint')}
              value={engagement}
              maxLength={50}
              onChange={(e) => setEngagement(e.currentTarget.value)}
              error={server.get('engagementNumber')}
            />
          )}
          {refusal ? (
            <Alert color="red" variant="light" icon={<AlertIcon />} role="alert" title={refusal.title}>
              <Stack gap={4}>
                <Text size="sm">{refusal.text}</Text>
                {refusal.invoice && (
                  <Anchor component={Link} to={`/facturation/factures/${refusal.invoice}`} size="sm" onClick={close}>
                    {t('billing.issue.toExisting')}
                  </Anchor>
                )}
              </Stack>
            </Alert>
          ) : (
            <ActionError error={issue.error} />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={issue.isPending}>
              {t('billing.issue.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Invoices are issued once a month is over: last month is the likely choice. */
function previousPeriod(): string {
  return recentPeriods(2)[1] ?? currentPeriod();
}
