import { Anchor, Breadcrumbs, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { useDeleteNews, useNewsPost } from '../../api/network';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DetailState } from '../../components/DetailState';
import { usePageTitle } from '../../components/usePageTitle';
import { useI18n } from '../../i18n';
import { Markdown } from '../policies/Markdown';
import { NewsByline } from './NewsPage';
import { NewsForm } from './NewsForm';

export function NewsPostPage() {
  const { t } = useI18n();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const post = useNewsPost(id);
  const remove = useDeleteNews(id);
  const [editing, edit] = useDisclosure(false);
  const [deleting, deleteDialog] = useDisclosure(false);
  usePageTitle(post.data?.title);

  if (!post.data)
    return (
      <DetailState
        query={post}
        notFound={{ title: t('news.notFound'), body: t('news.notFoundBody'), back: { label: t('news.back'), to: '/actualites' } }}
        loadFailed={t('news.loadFailed')}
      />
    );
  const p = post.data;
  return (
    <Stack gap="lg">
      <Breadcrumbs aria-label={t('common.breadcrumb')} separator="›">
        <Anchor component={Link} to="/reseau" size="sm">
          {t('network.title')}
        </Anchor>
        <Anchor component={Link} to="/actualites" size="sm">
          {t('network.news')}
        </Anchor>
        <Text size="sm" aria-current="page">
          {p.title}
        </Text>
      </Breadcrumbs>
      <Group justify="space-between" align="flex-start">
        <Stack gap={6} style={{ flex: '1 1 420px', minWidth: 0 }}>
          <Title order={1}>{p.title}</Title>
          <NewsByline post={p} />
        </Stack>
        {(p.can.update || p.can.delete) && (
          <Group gap="sm">
            {p.can.update && <Button onClick={edit.open}>{t('news.edit')}</Button>}
            {p.can.delete && (
              <Button variant="outline" color="red" onClick={deleteDialog.open}>
                {t('news.delete')}
              </Button>
            )}
          </Group>
        )}
      </Group>
      <Paper withBorder radius="md" p="lg" component="article">
        <Markdown source={p.body} headingBase={1} lang="fr" />
      </Paper>
      {p.can.update && <NewsForm key={p.updatedAt} opened={editing} onClose={edit.close} post={p} />}
      <ConfirmDialog
        opened={deleting}
        title={t('news.delete')}
        confirmLabel={t('news.delete')}
        loading={remove.isPending}
        error={remove.error}
        onClose={() => {
          deleteDialog.close();
          remove.reset();
        }}
        onConfirm={() =>
          remove.mutate(undefined, {
            onSuccess: () => {
              notifications.show({ color: 'teal', message: t('news.deleted') });
              void navigate('/actualites');
            },
          })
        }
      >
        {t('news.deleteConfirm')}
      </ConfirmDialog>
    </Stack>
  );
}
