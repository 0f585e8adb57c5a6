import {
  Anchor,
  Badge,
  Button,
  Grid,
  Group,
  List,
  NumberInput,
  Paper,
  Select,
  Stack,
  Text,
  ThemeIcon,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import type { ConstraintResultView, DataUse, DecisionView, OfferView } from '@confiance/contract';
import { useState } from 'react';
import { Link, useLocation } from 'react-router-dom';
import { useEvaluateOffer } from '../../api/policies';
import { useSession } from '../../api/session';
import { FormError } from '../../components/ErrorState';
import { CheckIcon, ClockIcon, CrossIcon, MinusIcon } from '../../components/Icons';
import { useI18n } from '../../i18n';
import { actionText, AgreementBadge, purposeOptions, FrenchText, dataUseText } from './labels';

type Satisfaction = ConstraintResultView['state'];

const STATE_COLOR: Record<Satisfaction, string> = { satisfied: 'teal', not_satisfied: 'red', not_applicable: 'gray' };

/** A constraint's verdict: an icon and a colour, and the same in words for screen readers. */
function StateIcon({ state, deferred = false }: { state: Satisfaction; deferred?: boolean }) {
  const { t } = useI18n();
  const icon =
    state === 'satisfied' ? (
      <CheckIcon size={14} />
    ) : state === 'not_satisfied' ? (
      <CrossIcon size={14} />
    ) : deferred ? (
      <ClockIcon size={14} />
    ) : (
      <MinusIcon size={14} />
    );
  return (
    <>
      <ThemeIcon variant="light" color={STATE_COLOR[state]} radius="xl" size={22} aria-hidden="true" style={{ flexShrink: 0 }}>
        {icon}
      </ThemeIcon>
      <VisuallyHidden>{deferred ? t('decision.state.deferred') : t(`decision.state.${state}`)}</VisuallyHidden>
    </>
  );
}

function ConstraintItems({ items }: { items: readonly ConstraintResultView[] }) {
  return (
    <ul className="plain-list decision-constraints">
      {items.map((c) => (
        <li key={c.path} data-state={c.state}>
          <Group gap="xs" align="flex-start" wrap="nowrap">
            <StateIcon state={c.state} deferred={c.deferred} />
            <div style={{ minWidth: 0 }}>
              <Text size="sm" fw={500}>
                <FrenchText>{c.label}</FrenchText>
              </Text>
              <Text size="sm" c={c.state === 'not_satisfied' ? 'red.9' : 'dimmed'}>
                <FrenchText>{c.reason}</FrenchText>
              </Text>
              {c.children && c.children.length > 0 && <ConstraintItems items={c.children} />}
            </div>
          </Group>
        </li>
      ))}
    </ul>
  );
}

type Outcome = 'permit' | 'conditional' | 'deny';
const OUTCOME_COLOR: Record<Outcome, string> = { permit: 'teal', conditional: 'yellow', deny: 'red' };

/** The answer: the outcome, its sentence, the charter, then each rule that bears on the request. */
export function DecisionResult({ decision }: { decision: DecisionView }) {
  const { t } = useI18n();
  const outcome: Outcome = decision.outcome === 'deny' ? 'deny' : decision.conditional ? 'conditional' : 'permit';
  // Rules on other uses (or prohibitions on other actions) do not bear on this request.
  const relevant = decision.rules.filter((r) => r.actionMatch.state === 'satisfied');
  const rules = relevant.length > 0 ? relevant : decision.rules;
  return (
    <Paper
      withBorder
      radius="md"
      p="md"
      className={`verdict verdict-${outcome === 'deny' ? 'failure' : outcome === 'permit' ? 'success' : 'neutral'}`}
    >
      <Stack gap="sm">
        <Group gap="sm" wrap="wrap">
          <ThemeIcon variant="light" color={OUTCOME_COLOR[outcome]} radius="xl" size={30} aria-hidden="true">
            {outcome === 'deny' ? <CrossIcon size={18} /> : <CheckIcon size={18} />}
          </ThemeIcon>
          <Title order={4} size="h4">
            {t(`decision.outcome.${outcome}`)}
          </Title>
          {decision.outcome === 'permit' && <AgreementBadge mode={decision.agreement} />}
        </Group>
        <Text size="sm">
          <FrenchText>{decision.summary}</FrenchText>
        </Text>
        <Group gap="xs" align="flex-start" wrap="nowrap">
          <StateIcon state={decision.charter.state} />
          <Text size="sm">
            <Text span fw={500} size="sm">
              {t('decision.charter')}
            </Text>{' '}
            <FrenchText>{decision.charter.reason}</FrenchText>
            {decision.charter.state === 'not_satisfied' && decision.charter.required && (
              <>
                {' '}
                <Anchor component={Link} to="/charte" size="sm">
                  {t('decision.toCharter')}
                </Anchor>
              </>
            )}
          </Text>
        </Group>
        {rules.map((r) => (
          <Stack key={r.path} gap={6} className="decision-rule">
            <Group gap="xs" wrap="wrap">
              <Text size="sm" fw={600}>
                {t(
                  r.kind === 'prohibition'
                    ? 'decision.rule.prohibition'
                    : r.kind === 'obligation'
                      ? 'decision.rule.obligation'
                      : 'decision.rule.permission',
                  {
                    action: actionText(t, r.action, r.actionLabel),
                  },
                )}
              </Text>
              <Badge
                size="sm"
                variant="light"
                color={r.state === 'active' ? (r.kind === 'prohibition' ? 'red' : 'teal') : 'gray'}
                tt="none"
              >
                {t(`decision.ruleState.${r.state}`)}
              </Badge>
            </Group>
            <Text size="xs" c="dimmed">
              <FrenchText>{r.reason}</FrenchText>
            </Text>
            {r.constraints.length > 0 && <ConstraintItems items={r.constraints} />}
            {r.duties.length > 0 && (
              <div>
                <Text size="sm" fw={500}>
                  {t('decision.duties')}
                </Text>
                <List size="sm" spacing={2}>
                  {r.duties.map((d) => (
                    <List.Item key={d.path}>
                      {actionText(t, d.action, d.label)} — <FrenchText>{d.reason}</FrenchText>
                    </List.Item>
                  ))}
                </List>
              </div>
            )}
          </Stack>
        ))}
      </Stack>
    </Paper>
  );
}

/** « Vérifier mon éligibilité »: would this organisation, purpose and duration satisfy the offer? */
export function DecisionPreview({ offer }: { offer: OfferView }) {
  const { t, locale } = useI18n();
  const session = useSession();
  const location = useLocation();
  const evaluate = useEvaluateOffer(offer.id);
  const memberships = session.data?.memberships ?? [];
  const [organisation, setOrganisation] = useState<string | null>(memberships[0]?.organisationSlug ?? null);
  const [purpose, setPurpose] = useState<string | null>(null);
  const [duration, setDuration] = useState<number | string>(12);
  const [use, setUse] = useState<DataUse | null>(offer.uses[0] ?? null);
  const [errors, setErrors] = useState<{ organisation?: string; purpose?: string; duration?: string }>({});
  const prefix = `decision-${offer.id}`;

  if (!session.data) {
    const back = `${location.pathname}${location.search}`;
    return (
      <Text size="sm">
        {t('decision.signInFirst')}{' '}
        <Anchor component={Link} to={`/connexion?retour=${encodeURIComponent(back)}`} size="sm">
          {t('user.signIn')}
        </Anchor>
      </Text>
    );
  }
  if (memberships.length === 0) return <Text size="sm">{t('decision.noOrganisation')}</Text>;

  const submit = () => {
    const next: typeof errors = {};
    if (!organisation) next.organisation = t('common.required');
    if (!purpose) next.purpose = t('decision.purposeRequired');
    const months = typeof duration === 'number' ? duration : Number(duration);
    if (!Number.isInteger(months) || months < 1 || months > 120) next.duration = t('decision.durationRange');
    setErrors(next);
    if (Object.keys(next).length > 0 || !organisation || !purpose) return;
    evaluate.mutate({ organisation, purpose, durationMonths: months, ...(use ? { use } : {}) });
  };

  return (
    <Stack gap="md">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
        noValidate
        aria-label={t('decision.formLabel', { offer: offer.title })}
      >
        <Grid gap="sm" align="flex-end">
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <Select
              id={`${prefix}-organisation`}
              label={t('decision.organisation')}
              data={memberships.map((m) => ({ value: m.organisationSlug, label: m.organisationName }))}
              value={organisation}
              onChange={(v) => {
                setOrganisation(v);
                setErrors((e) => ({ ...e, organisation: undefined }));
              }}
              allowDeselect={false}
              error={errors.organisation}
              required
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <Select
              id={`${prefix}-purpose`}
              label={t('decision.purpose')}
              description={t('decision.purposeHint')}
              placeholder={t('decision.purposePlaceholder')}
              data={purposeOptions(t, locale)}
              value={purpose}
              onChange={(v) => {
                setPurpose(v);
                setErrors((e) => ({ ...e, purpose: undefined }));
              }}
              searchable
              nothingFoundMessage={t('policy.purposes.none')}
              maxDropdownHeight={280}
              error={errors.purpose}
              required
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <NumberInput
              id={`${prefix}-duration`}
              label={t('decision.duration')}
              min={1}
              max={120}
              allowDecimal={false}
              allowNegative={false}
              value={duration}
              onChange={(v) => {
                setDuration(v);
                setErrors((e) => ({ ...e, duration: undefined }));
              }}
              error={errors.duration}
              required
            />
          </Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <Select
              id={`${prefix}-use`}
              label={t('decision.use')}
              data={offer.uses.map((u) => ({ value: u, label: dataUseText(t, u) }))}
              value={use}
              onChange={(v) => setUse(v as DataUse | null)}
              allowDeselect={false}
            />
          </Grid.Col>
        </Grid>
        <Group mt="sm">
          <Button type="submit" variant="light" loading={evaluate.isPending}>
            {t('decision.submit')}
          </Button>
        </Group>
      </form>
      <FormError error={evaluate.error} />
      <div aria-live="polite">{evaluate.data && !evaluate.isPending && <DecisionResult decision={evaluate.data} />}</div>
    </Stack>
  );
}
