import { Badge } from '@mantine/core';
import { badgeText } from '../../components/categories';
import { useI18n } from '../../i18n';
import { invoiceStatus } from './format';

/** « Émise », « Annulée par l’avoir AV-… », « Avoir de FAC-… ». */
export function InvoiceStatusBadge({ invoice, size = 'sm' }: { invoice: Parameters<typeof invoiceStatus>[0]; size?: 'sm' | 'md' | 'lg' }) {
  const { t } = useI18n();
  const status = invoiceStatus(invoice);
  const color = status.state === 'issued' ? 'teal' : status.state === 'cancelled' ? 'gray' : 'orange';
  const text =
    status.state === 'issued'
      ? t('billing.status.issued')
      : status.state === 'cancelled'
        ? t('billing.status.cancelled', { number: status.number ?? '' })
        : t('billing.status.credit', { number: status.number ?? '' });
  return (
    <Badge variant="light" color={color} c={badgeText(color)} size={size} tt="none">
      {text}
    </Badge>
  );
}

export function KindLabel({ kind }: { kind: 'invoice' | 'credit_note' }) {
  const { t } = useI18n();
  return <>{t(`billing.kind.${kind}`)}</>;
}
