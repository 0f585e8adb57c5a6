import { Alert, Anchor, Badge, Group, Paper, Stack, Table, Text, ThemeIcon, VisuallyHidden } from '@mantine/core';
import { FIVE_SAFES, type RequestView, type ReviewDecision, type ReviewView } from '@confiance/contract';
import { Fragment, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { CheckIcon, ClockIcon, CrossIcon, InfoIcon } from '../../components/Icons';
import { SectionHeading } from '../../components/SectionHeading';
import { useI18n } from '../../i18n';
import { AgreementBadge, dataUseText, FrenchText, purposeText } from '../policies/labels';
import { alertTitle } from './labels';

export const REVIEW_DECISION_COLORS: Record<ReviewDecision, string> = { approved: 'teal', conditions: 'yellow', rejected: 'red' };

export function ReviewDecisionBadge({ decision }: { decision: ReviewDecision }) {
  const { t } = useI18n();
  return (
    <Badge variant="light" color={REVIEW_DECISION_COLORS[decision]} tt="none">
      {t(`review.decision.${decision}`)}
    </Badge>
  );
}

/** Label and value pairs in a definition list, two columns on wide screens. */
export function Facts({ items, label }: { items: readonly { term: string; value: ReactNode }[]; label?: string }) {
  return (
    <dl className="facts" aria-label={label}>
      {items.map((item) => (
        <Fragment key={item.term}>
          <dt>{item.term}</dt>
          <dd>{item.value}</dd>
        </Fragment>
      ))}
    </dl>
  );
}

/** Where the request stands, in one sentence, with the reason of a refusal or withdrawal. */
export function RequestStatus({ request }: { request: RequestView }) {
  const { t, formatDate } = useI18n();
  const date = request.decidedAt ? formatDate(request.decidedAt) : '';
  switch (request.stage) {
    case 'provider_review':
      return (
        <Alert
          color="orange"
          variant="light"
          icon={<ClockIcon />}
          styles={alertTitle('orange')}
          title={t('requests.status.provider_review')}
        >
          <Text size="sm">{t('requests.status.provider_reviewBody', { provider: request.provider.name })}</Text>
        </Alert>
      );
    case 'ethics_review':
      return (
        <Alert color="grape" variant="light" icon={<ClockIcon />} styles={alertTitle('grape')} title={t('requests.status.ethics_review')}>
          <Text size="sm">{t('requests.status.ethics_reviewBody', { provider: request.provider.name })}</Text>
        </Alert>
      );
    case 'agreed':
      return (
        <Alert color="teal" variant="light" icon={<CheckIcon />} styles={alertTitle('teal')} title={t('requests.status.agreed', { date })}>
          <Text size="sm">
            {t('requests.status.agreedBody')}{' '}
            {request.contract && (
              <Anchor component={Link} to={`/contrats/${request.contract}`} size="sm" underline="always" fw={500}>
                {t('requests.toContract')}
              </Anchor>
            )}
          </Text>
        </Alert>
      );
    case 'refused':
      return (
        <Alert color="red" variant="light" icon={<CrossIcon />} styles={alertTitle('red')} title={t('requests.status.refused', { date })}>
          {request.reason && (
            <Text size="sm">
              {t('requests.reasonLabel')} <FrenchText>{request.reason}</FrenchText>
            </Text>
          )}
        </Alert>
      );
    case 'withdrawn':
      return (
        <Alert
          color="gray"
          variant="light"
          icon={<InfoIcon />}
          styles={alertTitle('gray')}
          title={t('requests.status.withdrawn', { date })}
        >
          {request.reason && (
            <Text size="sm">
              {t('requests.reasonLabel')} <FrenchText>{request.reason}</FrenchText>
            </Text>
          )}
        </Alert>
      );
  }
}

/** What was asked: for which organisation (or project), which purpose, how long, what use and by whom. */
export function RequestFacts({ request }: { request: RequestView }) {
  const { t, locale, formatDateTime } = useI18n();
  return (
    <Facts
      label={t('requests.factsLabel')}
      items={[
        {
          term: t('requests.fact.dataset'),
          value: (
            <Anchor component={Link} to={`/datasets/${request.dataset.slug}`} size="sm">
              {request.dataset.title}
            </Anchor>
          ),
        },
        {
          term: t('requests.fact.offer'),
          value: (
            <Group gap={6}>
              <span>{t('requests.offerVersion', { title: request.offer.title, version: request.offer.version })}</span>
              <AgreementBadge mode={request.offer.agreement} />
            </Group>
          ),
        },
        {
          term: t('requests.fact.provider'),
          value: (
            <Anchor component={Link} to={`/organisations/${request.provider.slug}`} size="sm">
              {request.provider.name}
            </Anchor>
          ),
        },
        {
          term: t('requests.fact.consumer'),
          value: (
            <>
              <Anchor component={Link} to={`/organisations/${request.consumer.slug}`} size="sm">
                {request.consumer.name}
              </Anchor>
              {request.project && <> — {t('requests.forProject', { project: request.project.title })}</>}
            </>
          ),
        },
        { term: t('requests.fact.purpose'), value: purposeText(locale, request.purpose) },
        { term: t('requests.fact.duration'), value: t('requests.months', { count: request.durationMonths }) },
        { term: t('requests.fact.use'), value: dataUseText(t, request.use) },
        {
          term: t('requests.fact.users'),
          value:
            request.users.length > 0 ? (
              <ul className="plain-list">
                {request.users.map((u) => (
                  <li key={u.id}>
                    {u.displayName}{' '}
                    <Text span size="xs" c="dimmed">
                      ({u.email})
                    </Text>
                  </li>
                ))}
              </ul>
            ) : (
              t('requests.noUsers')
            ),
        },
        {
          term: t('requests.fact.justification'),
          value: (
            <Text size="sm" style={{ whiteSpace: 'pre-line' }}>
              {request.justification}
            </Text>
          ),
        },
        {
          term: t('requests.fact.requested'),
          value: t('requests.requestedBy', { who: request.requestedBy, date: formatDateTime(request.createdAt) }),
        },
      ]}
    />
  );
}

function SafeAnswer({ safe }: { safe: boolean }) {
  const { t } = useI18n();
  return (
    <Group gap={6} wrap="nowrap">
      <ThemeIcon variant="light" color={safe ? 'teal' : 'red'} radius="xl" size={20} aria-hidden="true">
        {safe ? <CheckIcon size={12} /> : <CrossIcon size={12} />}
      </ThemeIcon>
      <Text size="sm">{safe ? t('review.safeYes') : t('review.safeNo')}</Text>
    </Group>
  );
}

/** The ethics commission's review as the requester and the provider read it. */
export function ReviewSummary({ review }: { review: ReviewView }) {
  const { t, formatDateTime } = useI18n();
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="review-title">
      <Stack gap="md">
        <SectionHeading id="review-title" title={t('review.title')} intro={t('review.intro')} />
        {review.state === 'pending' || !review.decision ? (
          <Group gap="xs">
            <ClockIcon />
            <Text size="sm">{t('review.pending')}</Text>
          </Group>
        ) : (
          <>
            <Group gap="sm">
              <ReviewDecisionBadge decision={review.decision} />
              <Text size="sm" c="dimmed">
                {t('review.decidedBy', {
                  who: review.reviewer ?? t('review.commission'),
                  date: review.decidedAt ? formatDateTime(review.decidedAt) : '',
                })}
              </Text>
            </Group>
            {review.checklist && (
              <Table verticalSpacing="xs" aria-label={t('review.checklist')}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('review.col.dimension')}</Table.Th>
                    <Table.Th scope="col">{t('review.col.safe')}</Table.Th>
                    <Table.Th scope="col">{t('review.col.note')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {FIVE_SAFES.map((s) => {
                    const answer = review.checklist?.[s];
                    return (
                      <Table.Tr key={s}>
                        <Table.Th scope="row" fw={500}>
                          {t(`review.safe.${s}`)}
                        </Table.Th>
                        <Table.Td>
                          {answer ? <SafeAnswer safe={answer.safe} /> : <VisuallyHidden>{t('common.notProvided')}</VisuallyHidden>}
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm" style={{ whiteSpace: 'pre-line' }}>
                            <FrenchText>{answer?.note ?? ''}</FrenchText>
                          </Text>
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            )}
            {review.conditions && (
              <Alert color="yellow" variant="light" styles={alertTitle('yellow')} title={t('review.conditions')} icon={<InfoIcon />}>
                <Text size="sm" style={{ whiteSpace: 'pre-line' }}>
                  <FrenchText>{review.conditions}</FrenchText>
                </Text>
              </Alert>
            )}
            {review.reasons && (
              <Alert color="red" variant="light" styles={alertTitle('red')} title={t('review.reasons')} icon={<InfoIcon />}>
                <Text size="sm" style={{ whiteSpace: 'pre-line' }}>
                  <FrenchText>{review.reasons}</FrenchText>
                </Text>
              </Alert>
            )}
          </>
        )}
      </Stack>
    </Paper>
  );
}
