import { Alert, Fieldset, Group, Select, Stack, Text } from '@mantine/core';
import type { QueryAccess } from '@confiance/contract';
import { useI18n } from '../../../i18n';

export type JoinOption = QueryAccess['joins'][number];

export interface JoinChoice {
  dataset: string | null;
  table: string | null;
  leftKey: string | null;
  rightKey: string | null;
}

export const NO_JOIN: JoinChoice = { dataset: null, table: null, leftKey: null, rightKey: null };

interface JoinPickerProps {
  joins: readonly JoinOption[];
  /** This table's columns that both sides may join on. */
  leftKeys: readonly string[];
  value: JoinChoice;
  errors: { leftKey?: string | null; rightKey?: string | null };
  onChange: (choice: JoinChoice) => void;
}

/**
 * « Croiser avec » — a pseudonymised join with another dataset the same project (or organisation)
 * holds under contract. The node replaces the keys by keyed hashes before the engine sees them: they
 * are never columns of the result, so the picker only asks which keys to match.
 */
export function JoinPicker({ joins, leftKeys, value, errors, onChange }: JoinPickerProps) {
  const { t } = useI18n();
  const chosen = joins.find((j) => j.dataset === value.dataset) ?? null;
  const keyOptions = (keys: readonly string[]) => keys.map((k) => ({ value: k, label: k }));
  return (
    <Fieldset legend={t('query.join.legend')} variant="filled">
      <Stack gap="sm">
        <Text size="xs" c="dimmed">
          {t('query.join.hint')}
        </Text>
        <Group gap="sm" align="flex-start" wrap="wrap">
          <Select
            label={t('query.join.dataset')}
            data={joins.map((j) => ({ value: j.dataset, label: `${j.title} — ${j.provider}` }))}
            placeholder={t('query.join.none')}
            clearable
            w={380}
            value={value.dataset}
            onChange={(dataset) => {
              const option = joins.find((j) => j.dataset === dataset);
              onChange(
                option
                  ? {
                      dataset: option.dataset,
                      table: option.tables[0]?.name ?? null,
                      leftKey: leftKeys.length === 1 ? leftKeys[0]! : null,
                      rightKey: option.rightKeys.length === 1 ? option.rightKeys[0]! : null,
                    }
                  : NO_JOIN,
              );
            }}
          />
          {chosen && chosen.tables.length > 1 && (
            <Select
              label={t('query.join.table')}
              data={chosen.tables.map((tb) => ({ value: tb.name, label: tb.name }))}
              allowDeselect={false}
              w={240}
              value={value.table}
              onChange={(table) => table && onChange({ ...value, table })}
            />
          )}
          {chosen && (
            <>
              <Select
                label={t('query.join.leftKey')}
                data={keyOptions(leftKeys)}
                allowDeselect={false}
                w={200}
                value={value.leftKey}
                error={errors.leftKey}
                onChange={(leftKey) => onChange({ ...value, leftKey })}
              />
              <Select
                label={t('query.join.rightKey')}
                data={keyOptions(chosen.rightKeys)}
                allowDeselect={false}
                w={200}
                value={value.rightKey}
                error={errors.rightKey}
                onChange={(rightKey) => onChange({ ...value, rightKey })}
              />
            </>
          )}
        </Group>
        {chosen && (
          <Alert color="blue" variant="light" p="xs">
            <Text size="sm">
              {t('query.join.explain', { title: chosen.title, table: value.table ?? '' })}
              {chosen.aggregateOnly ? ` ${t('query.join.aggregateOnly')}` : ''}
            </Text>
          </Alert>
        )}
      </Stack>
    </Fieldset>
  );
}
