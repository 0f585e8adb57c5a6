import { Button, Code, Group, Stack, Text, Textarea } from '@mantine/core';
import { MAX_SQL_LENGTH, type QueryAccess, type QueryInput } from '@confiance/contract';
import { useState } from 'react';
import { useI18n } from '../../../i18n';

interface SqlPanelProps {
  access: QueryAccess;
  contract: string | null;
  running: boolean;
  onRun: (input: QueryInput) => void;
}

/** Restricted SQL: one read-only SELECT over the relations the grant names, checked by the node. */
export function SqlPanel({ access, contract, running, onRun }: SqlPanelProps) {
  const { t } = useI18n();
  const first = access.tables[0];
  const [sql, setSql] = useState(() => (first ? `SELECT *\nFROM ${first.relation}\nLIMIT 100` : ''));
  const [error, setError] = useState<string | null>(null);

  return (
    <form
      noValidate
      aria-label={t('query.sql.label')}
      onSubmit={(e) => {
        e.preventDefault();
        if (sql.trim() === '') {
          setError(t('query.sql.required'));
          return;
        }
        setError(null);
        onRun({ sql, ...(contract ? { contract } : {}) });
      }}
    >
      <Stack gap="md">
        <Stack gap={4}>
          <Text size="sm" fw={500} id="query-relations">
            {t('query.sql.relations')}
          </Text>
          <ul className="plain-list" aria-labelledby="query-relations">
            {access.tables.map((tb) => (
              <li key={tb.relation}>
                <Text size="sm">
                  <Code>{tb.relation}</Code>{' '}
                  <Text span size="xs" c="dimmed">
                    ({tb.columns.map((c) => c.name).join(', ')})
                  </Text>
                </Text>
              </li>
            ))}
          </ul>
        </Stack>
        <Textarea
          label={t('query.sql.query')}
          description={t('query.sql.hint')}
          autosize
          minRows={6}
          maxRows={24}
          maxLength={MAX_SQL_LENGTH}
          spellCheck={false}
          autoCapitalize="off"
          autoCorrect="off"
          classNames={{ input: 'json-editor' }}
          value={sql}
          error={error}
          onChange={(e) => setSql(e.currentTarget.value)}
        />
        <Group>
          <Button type="submit" loading={running}>
            {t('query.run')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
