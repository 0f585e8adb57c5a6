import { Badge, Button, Collapse, Group, List, Modal, Paper, Skeleton, Stack, Switch, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { DatasetView, OfferView } from '@confiance/contract';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useDatasetOffers, useRetireOffer } from '../../api/policies';
import { ErrorState, FormError } from '../../components/ErrorState';
import { SectionHeading } from '../../components/SectionHeading';
import { useI18n } from '../../i18n';
import { DecisionPreview } from './DecisionPreview';
import { actionText, AgreementBadge, FrenchText, dataUseText } from './labels';

type RuleSummary = OfferView['rules'][number];

/** The retirement's reason is shown to everyone who had the offer: it is asked for, then confirmed. */
function RetireDialog({ offer, opened, onClose }: { offer: OfferView; opened: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const retire = useRetireOffer(offer.id);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const close = () => {
    onClose();
    retire.reset();
    setError(null);
  };
  return (
    <Modal opened={opened} onClose={close} title={t('offers.retireTitle', { title: offer.title })} centered>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (reason.trim().length < 3) {
            setError(t('manage.reasonTooShort'));
            return;
          }
          retire.mutate(reason.trim(), {
            onSuccess: () => {
              notifications.show({ color: 'teal', message: t('offers.retired', { title: offer.title }) });
              setReason('');
              close();
            },
          });
        }}
        noValidate
      >
        <Stack gap="md">
          <Text size="sm">{t('offers.retireBody')}</Text>
          <Textarea
            label={t('offers.retireReason')}
            description={t('offers.retireReasonHint')}
            required
            autosize
            minRows={3}
            maxLength={1000}
            value={reason}
            error={error}
            onChange={(e) => {
              setReason(e.currentTarget.value);
              setError(null);
            }}
          />
          <FormError error={retire.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close} data-autofocus>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color="red.9" loading={retire.isPending}>
              {t('offers.retireConfirm')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

const sameConditions = (a: RuleSummary, b: RuleSummary) =>
  JSON.stringify([a.constraints, a.duties]) === JSON.stringify([b.constraints, b.duties]);

/** What the offer grants, on what conditions, what it asks and what it forbids, in sentences. */
function OfferRules({ offer }: { offer: OfferView }) {
  const { t } = useI18n();
  const permissions = offer.rules.filter((r) => r.kind === 'permission');
  const prohibitions = offer.rules.filter((r) => r.kind === 'prohibition');
  const obligations = offer.rules.filter((r) => r.kind === 'obligation');
  // Template offers put the same conditions on every use: they are listed once.
  const shared = permissions.length > 0 && permissions.every((p) => sameConditions(p, permissions[0]!));
  const first = permissions[0];
  const conditions = (r: RuleSummary) =>
    r.constraints.length === 0 ? (
      <Text size="sm">{t('offers.noCondition')}</Text>
    ) : (
      <List size="sm" spacing={2}>
        {r.constraints.map((c) => (
          <List.Item key={c}>
            <FrenchText>{c}</FrenchText>
          </List.Item>
        ))}
      </List>
    );
  return (
    <Stack gap="xs">
      <div>
        <Text size="sm" fw={600}>
          {t('offers.uses')}
        </Text>
        <Text size="sm">{offer.uses.length > 0 ? offer.uses.map((u) => dataUseText(t, u)).join(' · ') : t('offers.usesFromPolicy')}</Text>
      </div>
      <div>
        <Text size="sm" fw={600}>
          {t('offers.price')}
        </Text>
        <Text size="sm">
          <FrenchText>{offer.price.summary}</FrenchText>
        </Text>
        {offer.price.details.length > 0 && (
          <List size="sm" spacing={2}>
            {offer.price.details.map((d) => (
              <List.Item key={d}>
                <FrenchText>{d}</FrenchText>
              </List.Item>
            ))}
          </List>
        )}
      </div>
      {shared && first ? (
        <div>
          <Text size="sm" fw={600}>
            {t('offers.conditions')}
          </Text>
          {conditions(first)}
        </div>
      ) : (
        permissions.map((p) => (
          <div key={`${p.kind}-${p.action}`}>
            <Text size="sm" fw={600}>
              {t('offers.conditionsOf', { action: actionText(t, p.action, p.actionLabel) })}
            </Text>
            {conditions(p)}
          </div>
        ))
      )}
      {(() => {
        const duties = [
          ...new Set([
            ...(shared && first ? first.duties : permissions.flatMap((p) => p.duties)),
            ...obligations.map((o) => actionText(t, o.action, o.actionLabel)),
          ]),
        ];
        return duties.length > 0 ? (
          <div>
            <Text size="sm" fw={600}>
              {t('offers.duties')}
            </Text>
            <List size="sm" spacing={2}>
              {duties.map((d) => (
                <List.Item key={d}>
                  <FrenchText>{d}</FrenchText>
                </List.Item>
              ))}
            </List>
          </div>
        ) : null;
      })()}
      {prohibitions.length > 0 && (
        <div>
          <Text size="sm" fw={600}>
            {t('offers.prohibitions')}
          </Text>
          <List size="sm" spacing={2}>
            {prohibitions.map((p) => (
              <List.Item key={p.action}>
                {actionText(t, p.action, p.actionLabel)}
                {p.constraints.length > 0 && (
                  <>
                    {' '}
                    (<FrenchText>{p.constraints.join(' ; ')}</FrenchText>)
                  </>
                )}
              </List.Item>
            ))}
          </List>
        </div>
      )}
    </Stack>
  );
}

export function OfferCard({ offer }: { offer: OfferView }) {
  const { t, formatDate } = useI18n();
  const [checking, setChecking] = useState(false);
  const [retiring, setRetiring] = useState(false);
  const titleId = `offer-${offer.id}-title`;
  const previewId = `offer-${offer.id}-preview`;
  const retired = offer.status === 'retired';
  return (
    <Paper
      withBorder
      radius="md"
      p="md"
      component="article"
      aria-labelledby={titleId}
      className="offer-card"
      data-retired={retired || undefined}
    >
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" gap="xs">
          <Title order={3} size="h4" id={titleId} style={{ flex: '1 1 240px' }}>
            {offer.title}
          </Title>
          <Group gap={6}>
            {retired && (
              <Badge variant="light" color="gray" tt="none">
                {t('offers.retiredBadge')}
              </Badge>
            )}
            <AgreementBadge mode={offer.agreement} />
          </Group>
        </Group>
        {offer.description && (
          <Text size="sm" style={{ whiteSpace: 'pre-line' }}>
            {offer.description}
          </Text>
        )}
        {retired && offer.retiredReason && <Text size="sm">{t('offers.retiredReason', { reason: offer.retiredReason })}</Text>}
        <OfferRules offer={offer} />
        <Text size="xs" c="dimmed">
          {t('offers.versionLine', { version: offer.version, date: formatDate(offer.updatedAt) })}
        </Text>
        {!retired && (
          <Group gap="sm">
            {!offer.canManage && (
              <Button
                component={Link}
                to={`/offres/${offer.id}/demande`}
                size="sm"
                aria-label={t('offers.requestLabel', { title: offer.title })}
              >
                {t('offers.request')}
              </Button>
            )}
            <Button variant="light" size="sm" onClick={() => setChecking((c) => !c)} aria-expanded={checking} aria-controls={previewId}>
              {t('offers.check')}
            </Button>
            {offer.canManage && (
              <>
                <Button
                  component={Link}
                  to={`/offres/${offer.id}/modifier`}
                  variant="default"
                  size="sm"
                  aria-label={t('offers.editLabel', { title: offer.title })}
                >
                  {t('offers.edit')}
                </Button>
                <Button
                  variant="default"
                  c="red.9"
                  size="sm"
                  onClick={() => setRetiring(true)}
                  aria-label={t('offers.retireLabel', { title: offer.title })}
                >
                  {t('offers.retire')}
                </Button>
              </>
            )}
          </Group>
        )}
        <Collapse expanded={checking} id={previewId}>
          {checking && (
            <Paper p="md" radius="md" bg="gray.0">
              <Stack gap="sm">
                <Title order={4} size="h5">
                  {t('offers.checkTitle')}
                </Title>
                <Text size="sm" c="dimmed">
                  {t('offers.checkIntro')}
                </Text>
                <DecisionPreview offer={offer} />
              </Stack>
            </Paper>
          )}
        </Collapse>
      </Stack>
      {offer.canManage && <RetireDialog offer={offer} opened={retiring} onClose={() => setRetiring(false)} />}
    </Paper>
  );
}

/** « Offres d’accès » on the dataset's page: what its provider proposes, and how to check one. */
export function OffersSection({ dataset }: { dataset: DatasetView }) {
  const { t } = useI18n();
  const [showRetired, setShowRetired] = useState(false);
  const offers = useDatasetOffers(dataset.slug, showRetired);
  const canAdd = dataset.canManage && dataset.status !== 'withdrawn';
  const manages = canAdd || (offers.data?.items.some((o) => o.canManage) ?? false);
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="offers-title">
      <Stack gap="md">
        <Group justify="space-between" align="flex-start" gap="sm">
          <SectionHeading id="offers-title" title={t('offers.title')} intro={t('offers.intro')} introMaxWidth={640} />
          {canAdd && (
            <Button component={Link} to={`/datasets/${dataset.slug}/offres/nouvelle`}>
              {t('offers.add')}
            </Button>
          )}
        </Group>
        {manages && (
          <Switch
            label={t('offers.showRetired')}
            checked={showRetired}
            onChange={(e) => setShowRetired(e.currentTarget.checked)}
            size="sm"
          />
        )}
        {offers.isPending ? (
          <Skeleton h={140} role="status" aria-label={t('app.loading')} />
        ) : offers.isError ? (
          <ErrorState title={t('offers.loadFailed')} error={offers.error} onRetry={() => void offers.refetch()} />
        ) : offers.data.items.length === 0 ? (
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {t('offers.empty')}
            </Text>
            <Text size="sm" c="dimmed">
              {dataset.accessLevel === 'open' ? t('offers.emptyOpen') : canAdd ? t('offers.emptyManager') : t('offers.emptyHint')}
            </Text>
          </Stack>
        ) : (
          <Stack gap="md">
            {offers.data.items.map((o) => (
              <OfferCard key={o.id} offer={o} />
            ))}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
