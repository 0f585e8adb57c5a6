import { Table } from '@mantine/core';
import { useI18n } from '../i18n';

export interface Bar {
  label: string;
  count: number;
}

const BAR_HEIGHT = 22;
const GAP = 6;
const LABEL_WIDTH = 220;
const CHART_WIDTH = 720;
const COUNT_WIDTH = 70;

function shorten(label: string, max = 30): string {
  return label.length > max ? `${label.slice(0, max - 1)}…` : label;
}

/**
 * Horizontal bars drawn in SVG: long labels stay readable whatever is counted. The picture is one
 * image named by `label` (a sentence saying what it shows and its largest bar); the figures
 * themselves are in `BarTable`, which screen-reader users read instead.
 */
export function BarChart({ bars, label }: { bars: readonly Bar[]; label: string }) {
  const { formatNumber } = useI18n();
  const max = Math.max(1, ...bars.map((b) => b.count));
  const height = bars.length * (BAR_HEIGHT + GAP) + GAP;
  const barSpace = CHART_WIDTH - LABEL_WIDTH - COUNT_WIDTH;
  return (
    <svg viewBox={`0 0 ${CHART_WIDTH} ${height}`} role="img" aria-label={label} className="bar-chart">
      <title>{label}</title>
      {bars.map((b, i) => {
        const y = GAP + i * (BAR_HEIGHT + GAP);
        const width = Math.max(1, (b.count / max) * barSpace);
        return (
          <g key={`${b.label}-${i}`}>
            <text x={LABEL_WIDTH - 8} y={y + BAR_HEIGHT / 2} textAnchor="end" dominantBaseline="middle" className="bar-label">
              {shorten(b.label)}
            </text>
            <rect x={LABEL_WIDTH} y={y} width={width} height={BAR_HEIGHT} rx={3} className="bar" />
            <text x={LABEL_WIDTH + width + 6} y={y + BAR_HEIGHT / 2} dominantBaseline="middle" className="bar-count">
              {formatNumber(b.count)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** The chart's figures as a table: what was counted, and how many. */
export function BarTable({
  bars,
  label,
  labelHeader,
  countHeader,
  maw = 520,
}: {
  bars: readonly Bar[];
  label: string;
  labelHeader: string;
  countHeader: string;
  maw?: number;
}) {
  const { formatNumber } = useI18n();
  return (
    <Table verticalSpacing={2} aria-label={label} maw={maw}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th scope="col">{labelHeader}</Table.Th>
          <Table.Th scope="col" ta="right">
            {countHeader}
          </Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {bars.map((b, i) => (
          <Table.Tr key={`${b.label}-${i}`}>
            <Table.Td>{b.label}</Table.Td>
            <Table.Td ta="right">{formatNumber(b.count)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
