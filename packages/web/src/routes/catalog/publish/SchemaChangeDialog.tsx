import { Alert, Button, Group, List, Modal, Stack, Text } from '@mantine/core';
import type { SchemaImpact } from '@confiance/contract';
import { AlertIcon } from '../../../components/Icons';
import { useI18n } from '../../../i18n';

/**
 * The server refused a version that drops, renames, retypes or newly flags columns until the
 * steward confirms: reusers' scripts and the offers built on those columns may break.
 */
export function SchemaChangeDialog({
  impact,
  onConfirm,
  onClose,
  loading,
}: {
  impact: SchemaImpact | null;
  onConfirm: () => void;
  onClose: () => void;
  loading: boolean;
}) {
  const { t } = useI18n();
  return (
    <Modal opened={impact !== null} onClose={onClose} title={t('schemaChange.title')} centered size="lg">
      {impact && (
        <Stack gap="md">
          <Text size="sm">{t('schemaChange.intro')}</Text>
          <List size="sm" spacing={6}>
            {impact.changes.map((change, i) => (
              <List.Item key={i}>
                {t(`schemaChange.${change.kind}`, { table: change.table, column: change.column ?? '', detail: change.detail ?? '' })}
              </List.Item>
            ))}
          </List>
          {impact.affected.length > 0 && (
            <Alert
              color="orange"
              variant="light"
              icon={<AlertIcon />}
              title={t('schemaChange.affected', { count: impact.affected.length })}
            >
              <List size="sm" spacing={4}>
                {impact.affected.map((a) => (
                  <List.Item key={`${a.kind}-${a.id}`}>
                    {t(`schemaChange.affected.${a.kind}`)} : {a.label}
                  </List.Item>
                ))}
              </List>
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} data-autofocus>
              {t('common.cancel')}
            </Button>
            <Button color="red.9" onClick={onConfirm} loading={loading}>
              {t('schemaChange.confirm')}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
