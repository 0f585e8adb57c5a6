import { Group, Stack, Table, Text } from '@mantine/core';
import { useI18n } from '../../i18n';
import { money, monthName } from './format';

export interface Series {
  key: string;
  label: string;
  /** A Mantine colour variable: the bars and their legend swatch. */
  color: string;
  values: readonly number[];
}

const WIDTH = 720;
const HEIGHT = 240;
const AXIS = 28;
const TOP = 12;
const LEFT = 8;

/**
 * Months side by side, one bar per series in each: what was earned, spent and kept as the fee.
 * Drawn in SVG without a chart library (the portal has none), named as one image by `label`; the
 * figures are in the table below it, which screen-reader users read instead.
 */
export function MonthlyChart({ months, series, label }: { months: readonly string[]; series: readonly Series[]; label: string }) {
  const { locale } = useI18n();
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const slot = (WIDTH - LEFT) / Math.max(1, months.length);
  const bar = Math.max(2, (slot - 8) / Math.max(1, series.length));
  const plot = HEIGHT - AXIS - TOP;
  return (
    <Stack gap="xs">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={label} className="bar-chart" style={{ maxWidth: WIDTH }}>
        <title>{label}</title>
        <line x1={LEFT} x2={WIDTH} y1={TOP + plot} y2={TOP + plot} style={{ stroke: 'var(--mantine-color-gray-5)' }} />
        {months.map((month, m) => {
          const x0 = LEFT + m * slot + 4;
          return (
            <g key={month}>
              {series.map((s, i) => {
                const value = s.values[m] ?? 0;
                const h = value > 0 ? Math.max(1, (value / max) * plot) : 0;
                return (
                  <rect key={s.key} x={x0 + i * bar} y={TOP + plot - h} width={bar - 1} height={h} rx={2} style={{ fill: s.color }}>
                    <title>{`${s.label}, ${month} : ${money(locale, value)}`}</title>
                  </rect>
                );
              })}
              <text x={x0 + (slot - 8) / 2} y={HEIGHT - 8} textAnchor="middle" className="bar-label" style={{ fontSize: 11 }}>
                {shortMonth(locale, month)}
              </text>
            </g>
          );
        })}
      </svg>
      <Group gap="md" aria-hidden="true">
        {series.map((s) => (
          <Group key={s.key} gap={6}>
            <span style={{ display: 'inline-block', width: 12, height: 12, borderRadius: 2, background: s.color }} />
            <Text size="xs">{s.label}</Text>
          </Group>
        ))}
      </Group>
    </Stack>
  );
}

/** The chart's figures, one row per month. */
export function MonthlyTable({
  months,
  series,
  label,
  monthHeader,
}: {
  months: readonly string[];
  series: readonly Series[];
  label: string;
  monthHeader: string;
}) {
  const { locale } = useI18n();
  return (
    <Table verticalSpacing={2} aria-label={label} maw={720}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">{monthHeader}</Table.Th>
          {series.map((s) => (
            <Table.Th key={s.key} scope="col" ta="right">
              {s.label}
            </Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {months.map((month, m) => (
          <Table.Tr key={month}>
            <Table.Th scope="row" fw={400}>
              {monthName(locale, month)}
            </Table.Th>
            {series.map((s) => (
              <Table.Td key={s.key} ta="right">
                {money(locale, s.values[m] ?? 0)}
              </Table.Td>
            ))}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function monthDate(period: string): Date | null {
  const match = /^(\d{4})-(\d{2})$/.exec(period);
  return match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1)) : null;
}

function shortMonth(locale: string, period: string): string {
  const d = monthDate(period);
  if (!d) return period;
  return new Intl.DateTimeFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { month: 'short', year: '2-digit', timeZone: 'UTC' }).format(d);
}
