import type { Series } from '@weft/protocol';
import { useMemo } from 'react';
import {
  CartesianGrid,
  type DotItemDotProps,
  type DotType,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { isolatedPoints, seriesColor, toChartRows } from '../../domain/chartData.js';
import { formatTime } from '../../domain/format.js';

/**
 * Time series as lines, one per group. Animations are off: with an update every second they would
 * never settle, and tests need a still picture. Fixed height, so updates never move the page.
 */
export function TimeChart({
  series,
  format,
  height = 220,
  testId,
}: {
  series: Series[];
  format: (v: number) => string;
  height?: number;
  testId?: string;
}) {
  const { rows, keys } = useMemo(() => toChartRows(series), [series]);
  const lone = useMemo(() => new Map(keys.map((k) => [k, isolatedPoints(rows, k)])), [rows, keys]);
  if (keys.length === 0) {
    return (
      <div
        data-testid={testId}
        className="flex items-center justify-center text-sm text-muted"
        style={{ height }}
      >
        No data in this window.
      </div>
    );
  }
  return (
    <div data-testid={testId} style={{ height }} className="min-w-0">
      <ResponsiveContainer width="100%" height="100%" minWidth={0}>
        <LineChart data={rows} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="var(--weft-line)" strokeDasharray="3 3" vertical={false} />
          <XAxis
            dataKey="t"
            type="number"
            domain={['dataMin', 'dataMax']}
            tickFormatter={formatTime}
            stroke="var(--weft-muted)"
            fontSize={11}
            minTickGap={40}
          />
          <YAxis
            stroke="var(--weft-muted)"
            fontSize={11}
            width={64}
            tickFormatter={(v: number) => format(v)}
          />
          <Tooltip
            isAnimationActive={false}
            labelFormatter={(v) => formatTime(Number(v))}
            formatter={(v) => (typeof v === 'number' ? format(v) : String(v))}
            contentStyle={{
              background: 'var(--weft-panel)',
              border: '1px solid var(--weft-line)',
              fontSize: 12,
            }}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {keys.map((k, i) => (
            <Line
              key={k}
              dataKey={k}
              name={k}
              type="monotone"
              dot={loneDots(lone.get(k), seriesColor(k, i))}
              stroke={seriesColor(k, i)}
              strokeWidth={1.6}
              isAnimationActive={false}
              connectNulls={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

/** Dots only where a point has no line to sit on; everywhere else the line says it all. */
function loneDots(lone: Set<number> | undefined, color: string): DotType {
  if (!lone || lone.size === 0) return false;
  return ({ cx, cy, index }: DotItemDotProps) =>
    lone.has(index) && cx !== undefined && cy !== undefined ? (
      <circle key={index} cx={cx} cy={cy} r={2.5} fill={color} data-testid="chart-lone-point" />
    ) : (
      <g key={index} />
    );
}
