import { Button, Checkbox, Fieldset, Group, Paper, Radio, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { ApiError, FIVE_SAFES, isVote, type FiveSafe, type RequestView, type ReviewDecision } from '@confiance/contract';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useGates } from '../../api/governance';
import { useDecideReview, useRequest } from '../../api/contracts';
import { isApiError } from '../../components/errors';
import { LockIcon } from '../../components/Icons';
import { SectionHeading } from '../../components/SectionHeading';
import { StatePage } from '../../components/StatePage';
import { usePageTitle } from '../../components/usePageTitle';
import { useI18n } from '../../i18n';
import { ActionError } from './ActionError';
import { useIsEthicsReader } from './EthicsPage';
import { RequestBody, RequestFrame } from './RequestPage';

type Answer = { safe: 'yes' | 'no' | null; note: string };
/** Error keys: `project.safe`, `project.note`, …, `decision`, `conditions`, `reasons`. */
type Errors = Record<string, string>;

const EMPTY: Record<FiveSafe, Answer> = Object.fromEntries(FIVE_SAFES.map((s) => [s, { safe: null, note: '' }])) as Record<
  FiveSafe,
  Answer
>;
const DECISIONS: readonly ReviewDecision[] = ['approved', 'conditions', 'rejected'];

/** The id of the input an error key is about, in the order of the form, to focus the first one. */
const ORDER = [...FIVE_SAFES.flatMap((s) => [`${s}.safe`, `${s}.note`]), 'decision', 'conditions', 'reasons'];
function inputId(key: string): string {
  const [safe, part] = key.split('.');
  if (part === 'safe') return `review-${safe}-yes`;
  if (part === 'note') return `review-${safe}-note`;
  return key === 'decision' ? 'review-decision-approved' : `review-${key}`;
}

/** `body.checklist.people.note` → `people.note`; `body.conditions` → `conditions`. */
function serverErrors(error: unknown, generic: string | null): Errors {
  if (!(error instanceof ApiError) || error.code !== 'validation_failed') return {};
  const issues = (error.details as { issues?: { path?: unknown; message?: unknown }[] } | undefined)?.issues ?? [];
  const out: Errors = {};
  for (const issue of issues) {
    if (typeof issue.path !== 'string') continue;
    const path = issue.path.replace(/^body\.?/, '').replace(/^checklist\./, '');
    if (!ORDER.includes(path) || out[path]) continue;
    const message = typeof issue.message === 'string' ? issue.message : '';
    out[path] = generic ?? message.charAt(0).toUpperCase() + message.slice(1);
  }
  return out;
}

/**
 * The Five Safes review: each dimension judged safe or not with a note, then the decision and,
 * depending on it, the conditions the requester must respect or the reasons of the refusal.
 * Native radios and text areas: everything works with the keyboard; errors sit beside their field.
 */
function ReviewForm({ request }: { request: RequestView }) {
  const { t, locale } = useI18n();
  const navigate = useNavigate();
  const decide = useDecideReview(request.id);
  const [answers, setAnswers] = useState<Record<FiveSafe, Answer>>(EMPTY);
  const [decision, setDecision] = useState<ReviewDecision | null>(null);
  const [conditions, setConditions] = useState('');
  const [reasons, setReasons] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  // When the operator put escalated reviews behind the ethics commission's vote, the reviewer may refer the decision to it.
  const escalation = useGates().data?.items.find((g) => g.action === 'ethics_review' && g.enabled);
  const [escalate, setEscalate] = useState(false);

  const clear = (key: string) => setErrors((e) => (e[key] ? { ...e, [key]: '' } : e));
  const answer = (safe: FiveSafe, patch: Partial<Answer>) => setAnswers((a) => ({ ...a, [safe]: { ...a[safe], ...patch } }));
  const focusFirst = (found: Errors) => {
    const first = ORDER.find((k) => found[k]);
    if (first) requestAnimationFrame(() => document.getElementById(inputId(first))?.focus());
  };

  const submit = () => {
    const found: Errors = {};
    for (const s of FIVE_SAFES) {
      if (answers[s].safe === null) found[`${s}.safe`] = t('review.safeRequired');
      if (answers[s].note.trim().length < 3) found[`${s}.note`] = t('review.noteRequired');
    }
    if (!decision) found.decision = t('review.decisionRequired');
    if (decision === 'conditions' && conditions.trim().length < 3) found.conditions = t('review.conditionsRequired');
    if (decision === 'rejected' && reasons.trim().length < 3) found.reasons = t('review.reasonsRequired');
    setErrors(found);
    if (Object.keys(found).length > 0 || !decision) {
      focusFirst(found);
      return;
    }
    decide.mutate(
      {
        decision,
        checklist: Object.fromEntries(
          FIVE_SAFES.map((s) => [s, { safe: answers[s].safe === 'yes', note: answers[s].note.trim() }]),
        ) as Record<FiveSafe, { safe: boolean; note: string }>,
        conditions: decision === 'conditions' ? conditions.trim() : null,
        reasons: decision === 'rejected' ? reasons.trim() : null,
        escalate,
      },
      {
        onSuccess: (result) => {
          if (isVote(result)) {
            notifications.show({ color: 'blue', message: t('review.escalated', { commission: result.commission.name }) });
            void navigate(`/votes/${result.id}`);
            return;
          }
          notifications.show({ color: 'teal', message: t(`review.saved.${decision}`, { dataset: request.dataset.title }) });
          void navigate('/ethique?etat=examinees');
        },
        onError: (error) => {
          const fromServer = serverErrors(error, locale === 'fr' ? null : t('common.invalidValue'));
          if (Object.keys(fromServer).length > 0) {
            setErrors(fromServer);
            focusFirst(fromServer);
          }
        },
      },
    );
  };

  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="review-form-title">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
        noValidate
        aria-labelledby="review-form-title"
      >
        <Stack gap="lg">
          <SectionHeading id="review-form-title" title={t('review.formTitle')} intro={t('review.formIntro')} />
          {FIVE_SAFES.map((s) => (
            <Fieldset key={s} legend={t(`review.safe.${s}`)} variant="filled" radius="md">
              <Stack gap="sm">
                <Text size="sm" c="dimmed" id={`review-${s}-question`}>
                  {t(`review.question.${s}`)}
                </Text>
                <Radio.Group
                  label={t('review.isSafe', { dimension: t(`review.safe.${s}`) })}
                  value={answers[s].safe}
                  onChange={(v) => {
                    answer(s, { safe: v === 'yes' ? 'yes' : 'no' });
                    clear(`${s}.safe`);
                  }}
                  error={errors[`${s}.safe`] || undefined}
                  required
                >
                  <Group gap="lg" mt={6}>
                    <Radio id={`review-${s}-yes`} value="yes" label={t('review.safeYes')} />
                    <Radio id={`review-${s}-no`} value="no" label={t('review.safeNo')} />
                  </Group>
                </Radio.Group>
                <Textarea
                  id={`review-${s}-note`}
                  label={t('review.note', { dimension: t(`review.safe.${s}`) })}
                  autosize
                  minRows={2}
                  maxLength={2000}
                  value={answers[s].note}
                  onChange={(e) => {
                    answer(s, { note: e.currentTarget.value });
                    clear(`${s}.note`);
                  }}
                  error={errors[`${s}.note`] || undefined}
                  required
                />
              </Stack>
            </Fieldset>
          ))}
          <Radio.Group
            label={t('review.decisionLabel')}
            description={t('review.decisionHint')}
            value={decision}
            onChange={(v) => {
              setDecision(v as ReviewDecision);
              clear('decision');
            }}
            error={errors.decision || undefined}
            required
          >
            <Stack gap="xs" mt={6}>
              {DECISIONS.map((d) => (
                <Radio
                  key={d}
                  id={`review-decision-${d}`}
                  value={d}
                  label={t(`review.choose.${d}`)}
                  description={t(`review.chooseHint.${d}`)}
                />
              ))}
            </Stack>
          </Radio.Group>
          {decision === 'conditions' && (
            <Textarea
              id="review-conditions"
              label={t('review.conditions')}
              description={t('review.conditionsHint')}
              autosize
              minRows={3}
              maxLength={5000}
              value={conditions}
              onChange={(e) => {
                setConditions(e.currentTarget.value);
                clear('conditions');
              }}
              error={errors.conditions || undefined}
              required
            />
          )}
          {decision === 'rejected' && (
            <Textarea
              id="review-reasons"
              label={t('review.reasons')}
              description={t('review.reasonsHint')}
              autosize
              minRows={3}
              maxLength={5000}
              value={reasons}
              onChange={(e) => {
                setReasons(e.currentTarget.value);
                clear('reasons');
              }}
              error={errors.reasons || undefined}
              required
            />
          )}
          <ActionError error={isApiError(decide.error, 'validation_failed') ? null : decide.error} />
          {isApiError(decide.error, 'validation_failed') && (
            <Text size="sm" c="red.9" role="alert">
              {t('errors.validation_failed')}
            </Text>
          )}
          {escalation && (
            <Checkbox
              checked={escalate}
              onChange={(e) => setEscalate(e.currentTarget.checked)}
              label={t('review.escalate', { commission: escalation.commission.name })}
              description={t('review.escalateHint')}
            />
          )}
          <Group justify="flex-end">
            <Button component={Link} to="/ethique" variant="default">
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={decide.isPending}>
              {escalate ? t('review.escalateSubmit') : t('review.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

/** /ethique/:id — the request under review, its decision and the Five Safes form. */
export function ReviewPage() {
  const { t } = useI18n();
  const { id = '' } = useParams();
  const allowed = useIsEthicsReader();
  const request = useRequest(allowed ? id : '');
  const title = request.data ? t('review.pageTitle', { dataset: request.data.dataset.title }) : t('ethics.title');
  usePageTitle(title);

  if (!allowed) {
    return (
      <StatePage
        title={t('ethics.forbiddenTitle')}
        body={t('ethics.forbiddenBody')}
        icon={<LockIcon size={24} />}
        action={{ label: t('ethics.toRequests'), to: '/demandes' }}
      />
    );
  }
  return (
    <RequestFrame request={request} title={title} back={{ label: t('ethics.backToQueue'), to: '/ethique', crumb: t('ethics.title') }}>
      {(r) => (
        <>
          <RequestBody request={r} />
          {r.can.review && <ReviewForm request={r} />}
        </>
      )}
    </RequestFrame>
  );
}
