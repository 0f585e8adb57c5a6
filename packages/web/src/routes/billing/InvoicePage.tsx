import { Alert, Anchor, Breadcrumbs, Button, Code, Grid, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { can, type InvoiceView } from '@confiance/contract';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { downloadInvoicePdf, downloadInvoiceXml, useCreditNote, useInvoice } from '../../api/billing';
import { usePrincipal, useSession } from '../../api/session';
import { DetailState } from '../../components/DetailState';
import { InfoIcon } from '../../components/Icons';
import { SectionHeading } from '../../components/SectionHeading';
import { usePageTitle } from '../../components/usePageTitle';
import { useI18n } from '../../i18n';
import { actionErrorText } from '../contracts/ActionError';
import { Facts } from '../contracts/RequestDetails';
import { ReasonDialog } from '../contracts/ReasonDialog';
import { shortHash } from '../ledger/describe';
import { money, monthName, percent, unitPrice } from './format';
import { InvoiceStatusBadge } from './labels';
import { EntryLinks, Notes } from './StatementsPage';

/** A decimal the invoice carries as text ("12", "0.5") in the interface's language. */
function decimalText(locale: string, text: string): string {
  return locale === 'fr' ? text.replace('.', ',') : text;
}

/** /facturation/factures/:id — an invoice or credit note: its lines, VAT, where it comes from in the ledger, its files. */
export function InvoicePage() {
  const { t } = useI18n();
  const { id = '' } = useParams();
  const invoice = useInvoice(id);
  const title = invoice.data
    ? t(`billing.invoice.title.${invoice.data.kind}`, { number: invoice.data.number })
    : t('billing.invoices.title');
  usePageTitle(title);

  if (!invoice.data)
    return (
      <DetailState
        query={invoice}
        notFound={{
          title: t('billing.invoice.notFound'),
          body: t('billing.invoice.notFoundBody'),
          back: { label: t('billing.invoice.backToList'), to: '/facturation/factures' },
        }}
        loadFailed={t('billing.invoice.loadFailed')}
      />
    );
  return <InvoiceDetail invoice={invoice.data} title={title} />;
}

function InvoiceDetail({ invoice, title }: { invoice: InvoiceView; title: string }) {
  const { t, locale, formatDate } = useI18n();
  return (
    <Stack gap="lg">
      <Stack gap={6}>
        <Breadcrumbs aria-label={t('common.breadcrumb')} separator="›">
          <Anchor component={Link} to="/facturation/factures" size="sm">
            {t('billing.invoices.title')}
          </Anchor>
          <Text size="sm" aria-current="page">
            {invoice.number}
          </Text>
        </Breadcrumbs>
        <Group gap="sm" align="center">
          <Title order={1}>{title}</Title>
          <InvoiceStatusBadge invoice={invoice} size="lg" />
        </Group>
        <Text c="dimmed">
          {t('billing.invoice.subtitle', {
            seller: invoice.seller.name,
            buyer: invoice.buyer.name,
            month: monthName(locale, invoice.period),
            date: formatDate(invoice.issueDate),
          })}
        </Text>
      </Stack>

      <InvoiceActions invoice={invoice} />

      {invoice.corrects && (
        <Alert color="orange" variant="light" icon={<InfoIcon />} title={t('billing.invoice.corrects')}>
          <Stack gap={4}>
            <Anchor component={Link} to={`/facturation/factures/${invoice.corrects.id}`} size="sm">
              {invoice.corrects.number}
            </Anchor>
            {invoice.creditReason && (
              <Text size="sm">
                {t('billing.invoice.reason')} <span lang="fr">{invoice.creditReason}</span>
              </Text>
            )}
          </Stack>
        </Alert>
      )}
      {invoice.creditedBy && (
        <Alert color="gray" variant="light" icon={<InfoIcon />} title={t('billing.invoice.creditedBy')}>
          <Anchor component={Link} to={`/facturation/factures/${invoice.creditedBy.id}`} size="sm">
            {invoice.creditedBy.number}
          </Anchor>
        </Alert>
      )}

      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="invoice-facts">
            <Stack gap="sm">
              <SectionHeading id="invoice-facts" title={t('billing.invoice.facts')} intro={t('billing.invoice.factsIntro')} />
              <Facts
                items={[
                  {
                    term: t('billing.col.kind'),
                    value: `${t(`billing.kind.${invoice.kind}`)} · ${t(`billing.purpose.${invoice.purpose}`)}`,
                  },
                  { term: t('billing.invoice.seller'), value: invoice.seller.name },
                  { term: t('billing.invoice.buyer'), value: invoice.buyer.name },
                  ...(invoice.underMandate ? [{ term: t('billing.invoice.mandate'), value: t('billing.underMandate') }] : []),
                  { term: t('billing.period'), value: monthName(locale, invoice.period) },
                  { term: t('billing.invoice.issueDate'), value: formatDate(invoice.issueDate) },
                  { term: t('billing.invoice.dueDate'), value: formatDate(invoice.dueDate) },
                  { term: t('billing.col.net'), value: money(locale, invoice.net) },
                  { term: t('billing.col.vat'), value: money(locale, invoice.vat) },
                  { term: t('billing.col.gross'), value: money(locale, invoice.gross) },
                ]}
              />
            </Stack>
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="invoice-ledger">
            <Stack gap="sm">
              <SectionHeading id="invoice-ledger" title={t('billing.invoice.ledger')} intro={t('billing.invoice.ledgerIntro')} />
              <Facts
                items={[
                  {
                    term: t('billing.invoice.ledgerEntry'),
                    value:
                      invoice.ledgerIndex === null ? (
                        t('billing.invoice.noLedgerEntry')
                      ) : (
                        <Anchor component={Link} to={`/registre/${invoice.ledgerIndex}`} size="sm">
                          {t('billing.entry', { index: invoice.ledgerIndex })}
                        </Anchor>
                      ),
                  },
                  {
                    term: t('billing.invoice.cited'),
                    value: <EntryLinks entries={invoice.entries} label={t('billing.invoice.citedList', { number: invoice.number })} />,
                  },
                  {
                    term: t('billing.invoice.checkpoint'),
                    value: t('billing.invoice.checkpointValue', {
                      size: invoice.checkpoint.size,
                      root: shortHash(invoice.checkpoint.root),
                    }),
                  },
                  {
                    term: t('billing.invoice.xmlSha256'),
                    value: <Code title={invoice.xmlSha256}>{shortHash(invoice.xmlSha256, 16)}</Code>,
                  },
                ]}
              />
            </Stack>
          </Paper>
        </Grid.Col>
      </Grid>

      <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="invoice-lines">
        <Stack gap="md">
          <SectionHeading id="invoice-lines" title={t('billing.invoice.lines')} intro={t('billing.invoice.linesIntro')} />
          <div className="scroll-region" role="region" aria-label={t('billing.invoice.lines')} tabIndex={0}>
            <Table verticalSpacing="sm" miw={760} aria-labelledby="invoice-lines">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('billing.invoice.item')}</Table.Th>
                  <Table.Th scope="col" ta="right">
                    {t('billing.invoice.quantity')}
                  </Table.Th>
                  <Table.Th scope="col" ta="right">
                    {t('billing.invoice.unitPrice')}
                  </Table.Th>
                  <Table.Th scope="col" ta="right">
                    {t('billing.col.vatRate')}
                  </Table.Th>
                  <Table.Th scope="col" ta="right">
                    {t('billing.col.net')}
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {invoice.lines.map((line, i) => (
                  <Table.Tr key={i}>
                    <Table.Td>
                      <Text size="sm" lang="fr">
                        {line.name}
                      </Text>
                      {line.description && (
                        <Text size="xs" c="dimmed" lang="fr">
                          {line.description}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td ta="right">{decimalText(locale, line.quantity)}</Table.Td>
                    <Table.Td ta="right">{unitPrice(locale, line.unitPrice)}</Table.Td>
                    <Table.Td ta="right">{`${line.vatCategory} ${percent(locale, line.vatPercent)}`}</Table.Td>
                    <Table.Td ta="right">{money(locale, line.net)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </div>
          <Table verticalSpacing={4} maw={720} aria-label={t('billing.vatBreakdown')}>
            <Table.Caption>{t('billing.vatBreakdown')}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('billing.col.vatRate')}</Table.Th>
                <Table.Th scope="col" ta="right">
                  {t('billing.col.base')}
                </Table.Th>
                <Table.Th scope="col" ta="right">
                  {t('billing.col.vat')}
                </Table.Th>
                <Table.Th scope="col">{t('billing.invoice.exemption')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {invoice.vatBreakdown.map((row) => (
                <Table.Tr key={`${row.category}-${row.percent}`}>
                  <Table.Td>{`${row.category} ${percent(locale, row.percent)}`}</Table.Td>
                  <Table.Td ta="right">{money(locale, row.base)}</Table.Td>
                  <Table.Td ta="right">{money(locale, row.vat)}</Table.Td>
                  <Table.Td>
                    <Text size="sm" lang="fr">
                      {row.exemptionReason ?? '—'}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
            <Table.Tfoot>
              <Table.Tr>
                <Table.Th scope="row">{t('billing.total')}</Table.Th>
                <Table.Td ta="right" fw={600}>
                  {money(locale, invoice.net)}
                </Table.Td>
                <Table.Td ta="right" fw={600}>
                  {money(locale, invoice.vat)}
                </Table.Td>
                <Table.Td fw={600}>{t('billing.invoice.grossTotal', { amount: money(locale, invoice.gross) })}</Table.Td>
              </Table.Tr>
            </Table.Tfoot>
          </Table>
          {invoice.notes.length > 0 && <Notes notes={invoice.notes} id="invoice-notes" />}
        </Stack>
      </Paper>
    </Stack>
  );
}

function InvoiceActions({ invoice }: { invoice: InvoiceView }) {
  const { t, locale } = useI18n();
  const principal = usePrincipal();
  const session = useSession();
  const credit = useCreditNote(invoice.id);
  const [pending, setPending] = useState<'pdf' | 'xml' | null>(null);
  const [dialog, setDialog] = useState(false);
  // The seller's admin (or the operator) cancels an invoice; the rule reads the seller's organisation.
  const seller = session.data?.memberships.find((m) => m.organisationSlug === invoice.seller.slug);
  const mayCredit =
    invoice.kind === 'invoice' &&
    invoice.creditedBy === null &&
    (can(principal, 'update', 'Invoice') ||
      (seller !== undefined && can(principal, 'update', 'Invoice', { organisationId: seller.organisationId })));

  const download = (kind: 'pdf' | 'xml') => {
    setPending(kind);
    (kind === 'pdf' ? downloadInvoicePdf(invoice) : downloadInvoiceXml(invoice))
      .catch((error: unknown) =>
        notifications.show({ color: 'red', title: t('billing.invoice.downloadFailed'), message: actionErrorText(t, locale, error) }),
      )
      .finally(() => setPending(null));
  };
  return (
    <>
      <Group gap="sm">
        <Button onClick={() => download('pdf')} loading={pending === 'pdf'}>
          {t('billing.invoice.pdf')}
        </Button>
        <Button variant="default" onClick={() => download('xml')} loading={pending === 'xml'}>
          {t('billing.invoice.xml')}
        </Button>
        {mayCredit && (
          <Button variant="default" c="red.9" onClick={() => setDialog(true)}>
            {t('billing.credit.open')}
          </Button>
        )}
      </Group>
      <ReasonDialog
        opened={dialog}
        onClose={() => {
          setDialog(false);
          credit.reset();
        }}
        title={t('billing.credit.title', { number: invoice.number })}
        body={t('billing.credit.body', { amount: money(locale, invoice.gross), buyer: invoice.buyer.name })}
        reasonLabel={t('billing.credit.reason')}
        reasonHint={t('billing.credit.reasonHint')}
        required
        danger
        confirmLabel={t('billing.credit.confirm')}
        loading={credit.isPending}
        error={credit.error}
        onConfirm={(reason) =>
          credit.mutate(reason ?? '', {
            onSuccess: (note) => {
              notifications.show({ color: 'teal', message: t('billing.credit.done', { number: note.number }) });
              setDialog(false);
            },
          })
        }
      />
    </>
  );
}
