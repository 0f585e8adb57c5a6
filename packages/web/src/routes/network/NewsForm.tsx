import { Modal, Select, Stack, Textarea, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { NewsView } from '@confiance/contract';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { usePublishNews, useUpdateNews } from '../../api/network';
import { useSession } from '../../api/session';
import { useFieldErrors } from '../../components/errors';
import { FormFooter } from '../../components/FormFooter';
import { useI18n } from '../../i18n';
import { useOwnOrganisations } from './shared';

/** The association's value in the « au nom de » list (the operator's posts). */
const ASSOCIATION = '__association__';

/** Publishing a post (`post` absent) or editing one. */
export function NewsForm({ opened, onClose, post }: { opened: boolean; onClose: () => void; post?: NewsView }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const session = useSession();
  const publish = usePublishNews();
  const update = useUpdateNews(post?.id ?? '');
  const mutation = post ? update : publish;
  const serverErrors = useFieldErrors();
  const operator = session.data?.user.platformRoles.includes('operator') ?? false;
  const organisations = [
    ...(operator ? [{ value: ASSOCIATION, label: t('news.association') }] : []),
    ...useOwnOrganisations('create', 'News').map(({ value, label }) => ({ value, label })),
  ];
  const [organisation, setOrganisation] = useState<string | null>(null);
  const [title, setTitle] = useState(post?.title ?? '');
  const [body, setBody] = useState(post?.body ?? '');
  const [missing, setMissing] = useState<Record<string, string>>({});
  const chosen = organisation ?? organisations[0]?.value ?? null;
  const errors = { ...serverErrors(mutation.error), ...missing };

  const close = () => {
    mutation.reset();
    setMissing({});
    onClose();
  };
  const submit = () => {
    const problems: Record<string, string> = {};
    if (title.trim().length < 5) problems.title = t('common.required');
    if (body.trim().length < 20) problems.body = t('common.required');
    setMissing(problems);
    if (Object.keys(problems).length > 0) return;
    const done = (saved: NewsView) => {
      notifications.show({ color: 'teal', message: post ? t('common.saved') : t('news.form.done') });
      close();
      if (!post) void navigate(`/actualites/${saved.id}`);
    };
    if (post) update.mutate({ title: title.trim(), body: body.trim() }, { onSuccess: done });
    else
      publish.mutate({ organisation: chosen === ASSOCIATION ? null : chosen, title: title.trim(), body: body.trim() }, { onSuccess: done });
  };

  return (
    <Modal opened={opened} onClose={close} title={post ? t('news.form.editTitle') : t('news.form.title')} centered size="lg">
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Stack gap="md">
          {!post && organisations.length > 1 && (
            <Select label={t('news.form.organisation')} data={organisations} value={chosen} onChange={setOrganisation} required />
          )}
          <TextInput
            label={t('news.form.titleLabel')}
            value={title}
            onChange={(e) => setTitle(e.currentTarget.value)}
            error={errors.title}
            maxLength={200}
            required
            data-autofocus
          />
          <Textarea
            label={t('news.form.body')}
            description={t('news.form.bodyHint')}
            value={body}
            onChange={(e) => setBody(e.currentTarget.value)}
            error={errors.body}
            autosize
            minRows={6}
            maxLength={20000}
            required
          />
          <FormFooter
            error={mutation.error}
            loading={mutation.isPending}
            submitLabel={post ? t('news.form.save') : t('news.form.submit')}
            onCancel={close}
          />
        </Stack>
      </form>
    </Modal>
  );
}
