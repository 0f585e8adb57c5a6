import { Paper, Radio, Select, Stack, Textarea, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { NEED_ANSWER_KINDS, REFUSAL_MIN_LENGTH, type NeedAnswerKind, type NeedView } from '@confiance/contract';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client';
import { useAnswerNeed } from '../../api/network';
import { useFieldErrors } from '../../components/errors';
import { FormFooter } from '../../components/FormFooter';
import { useI18n } from '../../i18n';
import { isIsoDay, useOwnOrganisations } from './shared';

/** The answering organisation's published datasets matching what is typed: the catalog's search. */
function useDatasetChoices(publisher: string | null, search: string) {
  const [q] = useDebouncedValue(search.trim(), 250);
  return useQuery({
    queryKey: ['network', 'dataset-picker', publisher, q],
    queryFn: () => api.datasets.search({ publisher: publisher ? [publisher] : [], ...(q ? { q } : {}), pageSize: 20 }),
    enabled: Boolean(publisher),
  });
}

/**
 * A provider's answer: one of three kinds, each asking what it needs — the dataset (picked from
 * the catalog), the planned date, or the reason for a refusal.
 */
export function AnswerForm({ need }: { need: NeedView }) {
  const { t } = useI18n();
  const answer = useAnswerNeed(need.id);
  const serverErrors = useFieldErrors();
  const answered = new Set(need.answers?.map((a) => a.organisation.slug) ?? []);
  const organisations = useOwnOrganisations('create', 'NeedAnswer').filter((o) => o.id !== need.organisation.id && !answered.has(o.value));
  const [organisation, setOrganisation] = useState<string | null>(null);
  const [kind, setKind] = useState<NeedAnswerKind>('dataset');
  const [dataset, setDataset] = useState<string | null>(null);
  const [datasetSearch, setDatasetSearch] = useState('');
  const [expectedAt, setExpectedAt] = useState('');
  const [message, setMessage] = useState('');
  const [missing, setMissing] = useState<Record<string, string>>({});
  const chosen = organisation ?? organisations[0]?.value ?? null;
  const choices = useDatasetChoices(kind === 'dataset' ? chosen : null, datasetSearch);
  const errors = { ...serverErrors(answer.error), ...missing };
  if (organisations.length === 0) return null;

  const submit = () => {
    const problems: Record<string, string> = {};
    if (kind === 'dataset' && !dataset) problems.dataset = t('needs.answer.datasetRequired');
    if (kind === 'plan' && !isIsoDay(expectedAt)) problems.expectedAt = t('needs.answer.expectedRequired');
    if (kind === 'refusal' && message.trim().length < REFUSAL_MIN_LENGTH) problems.message = t('needs.answer.reasonTooShort');
    setMissing(problems);
    if (Object.keys(problems).length > 0 || !chosen) return;
    answer.mutate(
      {
        organisation: chosen,
        kind,
        dataset: kind === 'dataset' ? dataset : null,
        expectedAt: kind === 'plan' ? expectedAt : null,
        message: message.trim(),
      },
      {
        onSuccess: () => {
          notifications.show({ color: 'teal', message: t('needs.answer.done') });
          setMessage('');
          setDataset(null);
        },
      },
    );
  };

  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-labelledby="answer-title">
      <Title order={2} size="h3" id="answer-title" mb="sm">
        {t('needs.answer.title')}
      </Title>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Stack gap="md">
          {organisations.length > 1 && (
            <Select label={t('needs.answer.organisation')} data={organisations} value={chosen} onChange={setOrganisation} required />
          )}
          <Radio.Group
            label={t('needs.answer.kind')}
            value={kind}
            onChange={(v) => {
              setKind(v as NeedAnswerKind);
              setMissing({});
              answer.reset();
            }}
          >
            <Stack gap={6} mt={6}>
              {NEED_ANSWER_KINDS.map((k) => (
                <Radio key={k} value={k} label={t(`needs.kinds.${k}`)} />
              ))}
            </Stack>
          </Radio.Group>
          {kind === 'dataset' && (
            <Select
              label={t('needs.answer.dataset')}
              placeholder={t('needs.answer.datasetPlaceholder')}
              searchable
              searchValue={datasetSearch}
              onSearchChange={setDatasetSearch}
              filter={({ options }) => options}
              data={(choices.data?.items ?? []).map((d) => ({ value: d.slug, label: d.title.fr }))}
              value={dataset}
              onChange={setDataset}
              error={errors.dataset}
              nothingFoundMessage={choices.isFetching ? t('app.loading') : t('needs.empty')}
              required
            />
          )}
          {kind === 'plan' && (
            <TextInput
              label={t('needs.answer.expectedAt')}
              placeholder="2027-06-30"
              value={expectedAt}
              onChange={(e) => setExpectedAt(e.currentTarget.value.trim())}
              error={errors.expectedAt}
              required
            />
          )}
          <Textarea
            label={kind === 'refusal' ? t('needs.answer.reason') : t('needs.answer.message')}
            value={message}
            onChange={(e) => setMessage(e.currentTarget.value)}
            error={errors.message}
            autosize
            minRows={2}
            maxLength={5000}
            required={kind === 'refusal'}
          />
          <FormFooter error={answer.error} loading={answer.isPending} submitLabel={t('needs.answer.submit')} />
        </Stack>
      </form>
    </Paper>
  );
}
