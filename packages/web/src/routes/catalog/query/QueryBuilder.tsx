import { ActionIcon, Button, Fieldset, Group, MultiSelect, NumberInput, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import {
  FILTER_OPERATORS,
  type AggregateFunction,
  type FilterInput,
  type FilterOperator,
  type QueryAccess,
  type QueryInput,
} from '@confiance/contract';
import { useRef } from 'react';
import { CrossIcon } from '../../../components/Icons';
import { useI18n } from '../../../i18n';
import { JoinPicker, NO_JOIN, type JoinChoice } from './JoinPicker';

type AccessColumn = QueryAccess['tables'][number]['columns'][number];

interface AggregateRow {
  key: number;
  fn: AggregateFunction;
  column: string | null;
}

interface FilterRow {
  key: number;
  column: string | null;
  op: FilterOperator;
  value: string;
}

interface BuilderValues {
  table: string;
  /** A pseudonymised join with another dataset held under contract, or none. */
  join: JoinChoice;
  /** Grouped by when there are aggregates; returned as they are otherwise. */
  groupBy: string[];
  aggregates: AggregateRow[];
  where: FilterRow[];
  orderColumn: string | null;
  orderDirection: 'asc' | 'desc';
  limit: number | string;
}

/** Functions that would let a cell's extreme value (one person's) through are hidden for aggregates only. */
const REVEALING: ReadonlySet<AggregateFunction> = new Set(['min', 'max']);
const NO_VALUE: ReadonlySet<FilterOperator> = new Set(['is_null', 'not_null']);
const LIST: ReadonlySet<FilterOperator> = new Set(['in', 'not_in', 'between']);
/** Output names the node accepts as `as`; others keep the node's default. */
const RESULT_NAME = /^[\p{L}_][\p{L}\p{N}_]{0,62}$/u;
const NUMERIC_TYPE =
  /^(tinyint|smallint|integer|int|bigint|hugeint|ubigint|uinteger|usmallint|utinyint|double|float|real|decimal|numeric|number)/i;

export function aggregateName(a: { fn: AggregateFunction; column: string | null }): string {
  return a.column ? `${a.fn}_${a.column}` : a.fn;
}

/** A filter's typed value: numbers for numeric columns, a list for `in`, two bounds for `between`. */
function filterValue(row: FilterRow, column: AccessColumn | undefined): FilterInput['value'] {
  if (NO_VALUE.has(row.op)) return undefined;
  const numeric = column ? NUMERIC_TYPE.test(column.type) : false;
  const one = (s: string): string | number => {
    const trimmed = s.trim();
    return numeric && trimmed !== '' && Number.isFinite(Number(trimmed)) ? Number(trimmed) : trimmed;
  };
  if (LIST.has(row.op))
    return row.value
      .split(/[,;]/)
      .map(one)
      .filter((v) => v !== '');
  return one(row.value);
}

interface QueryBuilderProps {
  access: QueryAccess;
  contract: string | null;
  running: boolean;
  onRun: (input: QueryInput) => void;
}

export function QueryBuilder({ access, contract, running, onRun }: QueryBuilderProps) {
  const { t, locale } = useI18n();
  const nextKey = useRef(1);
  const key = () => nextKey.current++;
  const firstTable = access.tables[0]?.name ?? '';
  const initialFunctions = access.functions.filter((fn) => !(access.aggregateOnly && REVEALING.has(fn)));

  const form = useForm<BuilderValues>({
    initialValues: {
      table: firstTable,
      join: NO_JOIN,
      groupBy: [],
      aggregates:
        access.aggregateOnly && initialFunctions.length > 0
          ? [{ key: 0, fn: initialFunctions.includes('sum') ? 'sum' : initialFunctions[0]!, column: null }]
          : [],
      where: [],
      orderColumn: null,
      orderDirection: 'asc',
      limit: '',
    },
    validate: {
      aggregates: (list, v) =>
        (access.aggregateOnly || (access.joins.find((j) => j.dataset === v.join.dataset)?.aggregateOnly ?? false)) && list.length === 0
          ? t('query.builder.aggregateRequired')
          : null,
      join: {
        leftKey: (k, v) => (v.join.dataset && !k ? t('query.join.keyRequired') : null),
        rightKey: (k, v) => (v.join.dataset && !k ? t('query.join.keyRequired') : null),
      },
      where: {
        column: (v) => (v ? null : t('query.builder.columnRequired')),
        value: (v, values, path) => {
          const index = Number(path.split('.')[1]);
          const op = values.where[index]?.op;
          return op && !NO_VALUE.has(op) && v.trim() === '' ? t('query.builder.valueRequired') : null;
        },
      },
    },
  });
  const values = form.values;
  const table = access.tables.find((tb) => tb.name === values.table) ?? access.tables[0];
  const join = access.joins.find((j) => j.dataset === values.join.dataset) ?? null;
  const joinTable = join ? (join.tables.find((tb) => tb.name === values.join.table) ?? join.tables[0]) : undefined;
  // Either side aggregate-only makes the join aggregate-only; a side granting rows then groups by any of its columns.
  const aggregateOnly = access.aggregateOnly || (join?.aggregateOnly ?? false);
  const functions = access.functions.filter((fn) => !(aggregateOnly && REVEALING.has(fn)));
  const asJoined = (c: AccessColumn): AccessColumn => (aggregateOnly && c.role === 'value' ? { ...c, role: 'dimension' } : c);
  // The caller's own grant declares the keys: the same for every dataset it may be joined with.
  const leftKeys = (table?.columns ?? []).map((c) => c.name).filter((name) => access.joins[0]?.leftKeys.includes(name));
  const columns =
    join && joinTable
      ? [
          ...(table?.columns ?? []).filter((c) => c.name !== values.join.leftKey).map(asJoined),
          ...joinTable.columns.map((c) => asJoined({ ...c, name: `${joinTable.name}.${c.name}` })),
        ]
      : (table?.columns ?? []);
  const byName = new Map(columns.map((c) => [c.name, c]));
  // Aggregate-only: grouping and filtering on a count would publish it cell by cell.
  const dimensions = aggregateOnly ? columns.filter((c) => c.role === 'dimension') : columns;
  const measures = columns.filter((c) => c.role === 'count' || c.role === 'measure');
  const measureColumnsFor = (fn: AggregateFunction) => (aggregateOnly || fn === 'sum' || fn === 'avg' ? measures : columns);
  const option = (c: AccessColumn) => ({ value: c.name, label: c.name });
  const grouped = values.aggregates.length > 0 || aggregateOnly;
  const outputs = [...values.groupBy, ...values.aggregates.filter((a) => a.fn === 'count' || a.column).map(aggregateName)];

  const validateAggregates = (v: BuilderValues): boolean => {
    let ok = true;
    v.aggregates.forEach((a, i) => {
      if (a.fn !== 'count' && !a.column) {
        form.setFieldError(`aggregates.${i}.column`, t('query.builder.columnRequired'));
        ok = false;
      }
    });
    return ok;
  };

  const submit = form.onSubmit((v) => {
    if (!validateAggregates(v)) return;
    const input: QueryInput = {
      ...(v.table && access.tables.length > 1 ? { table: v.table } : {}),
      ...(contract ? { contract } : {}),
      ...(join && v.join.leftKey && v.join.rightKey
        ? {
            join: {
              dataset: join.dataset,
              contract: join.contract,
              ...(joinTable && join.tables.length > 1 ? { table: joinTable.name } : {}),
              on: [{ left: v.join.leftKey, right: v.join.rightKey }],
            },
          }
        : {}),
      ...(grouped
        ? {
            groupBy: v.groupBy,
            aggregates: v.aggregates.map((a) => {
              const as = aggregateName(a);
              return { fn: a.fn, ...(a.column ? { column: a.column } : {}), ...(RESULT_NAME.test(as) ? { as } : {}) };
            }),
          }
        : { columns: v.groupBy }),
      where: v.where.map((w) => ({
        column: w.column ?? '',
        op: w.op,
        ...(NO_VALUE.has(w.op) ? {} : { value: filterValue(w, byName.get(w.column ?? '')) }),
      })),
      orderBy: v.orderColumn && outputs.includes(v.orderColumn) ? [{ column: v.orderColumn, direction: v.orderDirection }] : [],
      ...(v.limit !== '' ? { limit: Number(v.limit) } : {}),
    };
    onRun(input);
  });

  const fnOptions = functions.map((fn) => ({ value: fn, label: t(`query.fn.${fn}`) }));
  const opOptions = FILTER_OPERATORS.map((op) => ({ value: op, label: t(`query.op.${op}`) }));

  return (
    <form onSubmit={submit} noValidate aria-label={t('query.builder.label')}>
      <Stack gap="md">
        {access.tables.length > 1 && (
          <Select
            label={t('query.builder.table')}
            data={access.tables.map((tb) => ({ value: tb.name, label: tb.name }))}
            allowDeselect={false}
            maw={480}
            value={values.table}
            onChange={(v) => {
              if (!v) return;
              form.setValues({ table: v, groupBy: [], aggregates: [], where: [], orderColumn: null });
            }}
          />
        )}

        {access.joins.length > 0 && (
          <JoinPicker
            joins={access.joins}
            leftKeys={leftKeys}
            value={values.join}
            errors={{
              leftKey: form.errors['join.leftKey'] as string | undefined,
              rightKey: form.errors['join.rightKey'] as string | undefined,
            }}
            onChange={(choice) => {
              // Other columns, other rules: what was chosen for the previous shape no longer holds.
              form.setValues({ join: choice, groupBy: [], where: [], orderColumn: null });
              form.clearErrors();
            }}
          />
        )}

        <MultiSelect
          label={grouped ? t('query.builder.groupBy') : t('query.builder.columns')}
          description={
            grouped
              ? aggregateOnly
                ? t('query.builder.groupByDimensions')
                : t('query.builder.groupByHint')
              : t('query.builder.columnsHint')
          }
          data={dimensions.map(option)}
          searchable
          clearable
          nothingFoundMessage={t('query.builder.noColumn')}
          maxValues={grouped ? 8 : undefined}
          {...form.getInputProps('groupBy')}
        />

        <Fieldset legend={t('query.builder.aggregates')} variant="filled">
          <Stack gap="sm">
            {values.aggregates.length === 0 && (
              <Text size="sm" c={form.errors.aggregates ? 'red.9' : 'dimmed'} role={form.errors.aggregates ? 'alert' : undefined}>
                {form.errors.aggregates ?? t('query.builder.noAggregate')}
              </Text>
            )}
            {values.aggregates.map((a, i) => (
              <Group key={a.key} gap="sm" align="flex-end" wrap="wrap">
                <Select
                  label={t('query.builder.fn', { n: i + 1 })}
                  data={fnOptions}
                  allowDeselect={false}
                  w={240}
                  {...form.getInputProps(`aggregates.${i}.fn`)}
                  onChange={(v) => {
                    if (!v) return;
                    const fn = v as AggregateFunction;
                    form.setFieldValue(`aggregates.${i}.fn`, fn);
                    if (fn === 'count') form.setFieldValue(`aggregates.${i}.column`, null);
                    else if (a.column && !measureColumnsFor(fn).some((c) => c.name === a.column))
                      form.setFieldValue(`aggregates.${i}.column`, null);
                  }}
                />
                <Select
                  label={t('query.builder.aggregateColumn', { n: i + 1 })}
                  data={measureColumnsFor(a.fn).map(option)}
                  placeholder={a.fn === 'count' ? t('query.builder.rows') : undefined}
                  disabled={a.fn === 'count'}
                  searchable
                  w={240}
                  nothingFoundMessage={t('query.builder.noColumn')}
                  {...form.getInputProps(`aggregates.${i}.column`)}
                />
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  size="lg"
                  mb={4}
                  aria-label={t('query.builder.removeAggregate', { n: i + 1 })}
                  onClick={() => form.removeListItem('aggregates', i)}
                >
                  <CrossIcon size={16} />
                </ActionIcon>
              </Group>
            ))}
            <Group>
              <Button
                variant="default"
                size="xs"
                disabled={functions.length === 0 || values.aggregates.length >= 20}
                onClick={() => {
                  form.insertListItem('aggregates', { key: key(), fn: functions.includes('sum') ? 'sum' : functions[0]!, column: null });
                  form.clearFieldError('aggregates');
                }}
              >
                {t('query.builder.addAggregate')}
              </Button>
            </Group>
          </Stack>
        </Fieldset>

        <Fieldset legend={t('query.builder.filters')} variant="filled">
          <Stack gap="sm">
            {aggregateOnly && (
              <Text size="xs" c="dimmed">
                {t('query.builder.filtersDimensions')}
              </Text>
            )}
            {values.where.length === 0 && (
              <Text size="sm" c="dimmed">
                {t('query.builder.noFilter')}
              </Text>
            )}
            {values.where.map((w, i) => (
              <Group key={w.key} gap="sm" align="flex-start" wrap="wrap">
                <Select
                  label={t('query.builder.filterColumn', { n: i + 1 })}
                  data={dimensions.map(option)}
                  searchable
                  w={220}
                  nothingFoundMessage={t('query.builder.noColumn')}
                  {...form.getInputProps(`where.${i}.column`)}
                />
                <Select
                  label={t('query.builder.filterOp', { n: i + 1 })}
                  data={opOptions}
                  allowDeselect={false}
                  w={220}
                  {...form.getInputProps(`where.${i}.op`)}
                />
                {!NO_VALUE.has(w.op) && (
                  <TextInput
                    label={t('query.builder.filterValue', { n: i + 1 })}
                    description={
                      LIST.has(w.op) ? t(w.op === 'between' ? 'query.builder.betweenHint' : 'query.builder.listHint') : undefined
                    }
                    w={240}
                    {...form.getInputProps(`where.${i}.value`)}
                  />
                )}
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  size="lg"
                  mt={26}
                  aria-label={t('query.builder.removeFilter', { n: i + 1 })}
                  onClick={() => form.removeListItem('where', i)}
                >
                  <CrossIcon size={16} />
                </ActionIcon>
              </Group>
            ))}
            <Group>
              <Button
                variant="default"
                size="xs"
                disabled={values.where.length >= 50 || dimensions.length === 0}
                onClick={() => form.insertListItem('where', { key: key(), column: null, op: 'eq', value: '' })}
              >
                {t('query.builder.addFilter')}
              </Button>
            </Group>
          </Stack>
        </Fieldset>

        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
          <Select
            label={t('query.builder.orderBy')}
            description={t('query.builder.orderByHint')}
            data={outputs.map((o) => ({ value: o, label: o }))}
            clearable
            placeholder={t('query.builder.noOrder')}
            value={values.orderColumn && outputs.includes(values.orderColumn) ? values.orderColumn : null}
            onChange={(v) => form.setFieldValue('orderColumn', v)}
          />
          <Select
            label={t('query.builder.direction')}
            data={[
              { value: 'asc', label: t('query.builder.asc') },
              { value: 'desc', label: t('query.builder.desc') },
            ]}
            allowDeselect={false}
            {...form.getInputProps('orderDirection')}
          />
          <NumberInput
            label={t('query.builder.limit')}
            description={t('query.builder.limitHint', { max: access.rowLimit })}
            min={1}
            max={access.rowLimit}
            allowDecimal={false}
            allowNegative={false}
            thousandSeparator={locale === 'fr' ? ' ' : ','}
            {...form.getInputProps('limit')}
          />
        </SimpleGrid>

        <Group>
          <Button type="submit" loading={running}>
            {t('query.run')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
