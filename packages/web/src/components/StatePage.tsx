import { Button, Group, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { usePageTitle } from './usePageTitle';

interface StatePageProps {
  title: string;
  body: ReactNode;
  icon: ReactNode;
  color?: string;
  action?: { label: string; to: string };
  secondary?: { label: string; to: string };
}

/** A page that explains a dead end (expired link, unknown page) and offers the way forward. */
export function StatePage({ title, body, icon, color = 'gray', action, secondary }: StatePageProps) {
  usePageTitle(title);
  return (
    <Paper withBorder radius="md" p="xl" maw={560} mx="auto" mt="xl">
      <Stack align="flex-start" gap="md">
        <ThemeIcon size={44} radius="xl" variant="light" color={color}>
          {icon}
        </ThemeIcon>
        <Title order={1} size="h2">
          {title}
        </Title>
        <Text>{body}</Text>
        {(action || secondary) && (
          <Group gap="sm" mt="xs">
            {action && (
              <Button component={Link} to={action.to}>
                {action.label}
              </Button>
            )}
            {secondary && (
              <Button component={Link} to={secondary.to} variant="default">
                {secondary.label}
              </Button>
            )}
          </Group>
        )}
      </Stack>
    </Paper>
  );
}
