import { Anchor, Stack, Table, Text } from '@mantine/core';
import type { RequestView } from '@confiance/contract';
import { Link } from 'react-router-dom';
import { useI18n } from '../../i18n';
import { purposeText } from '../policies/labels';
import { StageBadge } from './labels';

interface RequestTableProps {
  requests: readonly RequestView[];
  caption: string;
  /** Whose name the "party" column shows: the provider (my requests) or the requester (an inbox, a review queue). */
  party: 'provider' | 'consumer';
  /** Where a row leads: the request's page, or the review form. */
  linkTo?: (request: RequestView) => string;
}

/** Requests in a table: the dataset (the link), the offer, the other party, purpose, date and stage. */
export function RequestTable({ requests, caption, party, linkTo = (r) => `/demandes/${r.id}` }: RequestTableProps) {
  const { t, locale, formatDate } = useI18n();
  return (
    // Sideways scrolling on narrow screens, in a region keyboard users can focus and scroll.
    <div className="scroll-region" role="region" aria-label={caption} tabIndex={0}>
      <Table verticalSpacing="sm" highlightOnHover miw={720} aria-label={caption}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('requests.col.dataset')}</Table.Th>
            <Table.Th scope="col">{party === 'provider' ? t('requests.col.provider') : t('requests.col.consumer')}</Table.Th>
            <Table.Th scope="col">{t('requests.col.purpose')}</Table.Th>
            <Table.Th scope="col">{t('requests.col.date')}</Table.Th>
            <Table.Th scope="col">{t('requests.col.stage')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {requests.map((r) => (
            <Table.Tr key={r.id}>
              <Table.Td>
                <Stack gap={2}>
                  <Anchor component={Link} to={linkTo(r)} fw={500} size="sm">
                    {r.dataset.title}
                  </Anchor>
                  <Text size="xs" c="dimmed">
                    {r.offer.title}
                  </Text>
                </Stack>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{party === 'provider' ? r.provider.name : r.consumer.name}</Text>
                {party === 'consumer' && r.project && (
                  <Text size="xs" c="dimmed">
                    {t('requests.forProject', { project: r.project.title })}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Text size="sm">{purposeText(locale, r.purpose)}</Text>
                <Text size="xs" c="dimmed">
                  {t('requests.months', { count: r.durationMonths })}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{formatDate(r.createdAt)}</Text>
              </Table.Td>
              <Table.Td>
                <StageBadge stage={r.stage} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}
