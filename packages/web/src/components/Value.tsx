import { Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useT } from '../i18n';

/** A field's value, or a dimmed "non renseigné" so an empty field never looks like a bug. */
export function Value({ children }: { children: ReactNode }) {
  const t = useT();
  if (children === null || children === undefined || children === '') {
    return (
      <Text component="span" c="dimmed" fs="italic" size="sm">
        {t('common.notProvided')}
      </Text>
    );
  }
  return <>{children}</>;
}
