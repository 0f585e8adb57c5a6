import { Badge, Button, Group, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { Link } from 'react-router-dom';
import type { UpcomingSection } from '../../components/sections';
import { usePageTitle } from '../../components/usePageTitle';
import { useT } from '../../i18n';

/** A section announced in the navigation: what it will do, rather than a broken link. */
export function ComingSoonPage({ section }: { section: UpcomingSection }) {
  const t = useT();
  const title = t(section.label);
  usePageTitle(title);
  return (
    <Paper withBorder radius="md" p="xl" maw={640} mx="auto" mt="lg">
      <Stack gap="md" align="flex-start">
        <Group gap="sm">
          <ThemeIcon size={44} radius="md" variant="light">
            <section.icon size={24} />
          </ThemeIcon>
          <Badge variant="light" color="yellow" size="lg">
            {t('soon.badge')}
          </Badge>
        </Group>
        <Title order={1}>{title}</Title>
        <Text size="lg">{t(section.description)}</Text>
        <Text c="dimmed" size="sm">
          {t('soon.intro')}
        </Text>
        <Button component={Link} to="/membres" variant="default">
          {t('soon.back')}
        </Button>
      </Stack>
    </Paper>
  );
}
