/**
 * Charts: lines through uPlot (canvas), stacked bars as SVG. Both say in text what they draw (a
 * caption and an accessible table), since a canvas is invisible to a screen reader.
 */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export const PALETTE = ['#0b5cad', '#b35900', '#1a7f37', '#8250df', '#cf222e', '#57606a', '#006d75', '#9a6700'];

export interface LineSeries {
  label: string;
  values: Array<number | null>;
  color: string;
  dash?: number[];
}

export function LineChart(props: { title: string; labels: string[]; series: LineSeries[]; format: (v: number) => string; testId: string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el || props.labels.length === 0) return;
    const width = Math.max(280, Math.min(900, el.clientWidth || 600));
    const xs = props.labels.map((_, i) => i);
    const plot = new uPlot(
      {
        width,
        height: 240,
        scales: { x: { time: false, range: [-0.5, Math.max(0.5, xs.length - 0.5)] } },
        axes: [
          { values: (_u, ticks) => ticks.map((t) => (Number.isInteger(t) ? (props.labels[t] ?? '') : '')), stroke: '#1b1f24' },
          { values: (_u, ticks) => ticks.map((t) => props.format(t)), size: 70, stroke: '#1b1f24' },
        ],
        series: [
          { label: 'run', value: (_u, v) => (v === null ? '' : (props.labels[v] ?? '')) },
          ...props.series.map((s) => ({
            label: s.label,
            stroke: s.color,
            width: 2,
            ...(s.dash ? { dash: s.dash } : {}),
            points: { show: true, size: 7 },
            value: (_u: uPlot, v: number | null) => (v === null ? '–' : props.format(v)),
          })),
        ],
      },
      [xs, ...props.series.map((s) => s.values)] as uPlot.AlignedData,
      el,
    );
    return () => plot.destroy();
  }, [props.labels.join('|'), JSON.stringify(props.series)]);
  return (
    <figure class="chart" data-testid={props.testId}>
      <figcaption>{props.title}</figcaption>
      {props.labels.length === 0 ? <p class="muted">No data in this range.</p> : <div ref={host} class="plot" />}
      <DataTable
        labels={props.labels}
        series={props.series.map((s) => ({ label: s.label, values: s.values }))}
        format={props.format}
        caption={props.title}
      />
    </figure>
  );
}

function DataTable(props: {
  caption: string;
  labels: string[];
  series: Array<{ label: string; values: Array<number | null> }>;
  format: (v: number) => string;
}) {
  return (
    <details class="data">
      <summary>Data of “{props.caption}”</summary>
      <table>
        <thead>
          <tr>
            <th scope="col">run</th>
            {props.series.map((s) => (
              <th scope="col">{s.label}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.labels.map((label, i) => (
            <tr>
              <th scope="row">{label}</th>
              {props.series.map((s) => (
                <td class="num">{s.values[i] === null || s.values[i] === undefined ? '–' : props.format(s.values[i]!)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

export function StackedBars(props: {
  title: string;
  bars: Array<{ label: string; parts: Record<string, number> }>;
  keys: string[];
  format: (v: number) => string;
  testId: string;
}) {
  const height = 220;
  const barWidth = 46;
  const gap = 26;
  const left = 64;
  const max = Math.max(1e-9, ...props.bars.map((b) => Object.values(b.parts).reduce((s, v) => s + v, 0)));
  const width = left + props.bars.length * (barWidth + gap) + gap;
  const color = (key: string) => PALETTE[props.keys.indexOf(key) % PALETTE.length]!;
  return (
    <figure class="chart" data-testid={props.testId}>
      <figcaption>{props.title}</figcaption>
      {props.bars.length === 0 ? (
        <p class="muted">No data in this range.</p>
      ) : (
        <div class="svg-scroll">
          <svg role="img" aria-label={props.title} width={width} height={height + 40} viewBox={`0 0 ${width} ${height + 40}`}>
            <line x1={left} y1={10} x2={left} y2={height + 10} stroke="#57606a" />
            <text x={left - 6} y={16} text-anchor="end" font-size="11" fill="#1b1f24">
              {props.format(max)}
            </text>
            <text x={left - 6} y={height + 10} text-anchor="end" font-size="11" fill="#1b1f24">
              {props.format(0)}
            </text>
            {props.bars.map((bar, i) => {
              let y = height + 10;
              const x = left + gap + i * (barWidth + gap);
              return (
                <g>
                  {props.keys.map((key) => {
                    const value = bar.parts[key] ?? 0;
                    const h = (value / max) * height;
                    y -= h;
                    return h > 0 ? (
                      <rect x={x} y={y} width={barWidth} height={h} fill={color(key)}>
                        <title>{`${bar.label} · ${key}: ${props.format(value)}`}</title>
                      </rect>
                    ) : null;
                  })}
                  <text x={x + barWidth / 2} y={height + 26} text-anchor="middle" font-size="11" fill="#1b1f24">
                    {bar.label}
                  </text>
                </g>
              );
            })}
          </svg>
        </div>
      )}
      <ul class="legend">
        {props.keys.map((key) => (
          <li>
            <span class="swatch" style={{ background: color(key) }} aria-hidden="true" />
            {key}
          </li>
        ))}
      </ul>
      <DataTable
        caption={props.title}
        labels={props.bars.map((b) => b.label)}
        series={props.keys.map((k) => ({ label: k, values: props.bars.map((b) => b.parts[k] ?? 0) }))}
        format={props.format}
      />
    </figure>
  );
}
