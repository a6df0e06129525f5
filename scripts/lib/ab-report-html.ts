/**
 * The experiment report as one self-contained HTML page: the decision and its reason, the SRM
 * check, and per metric an interval plot in inline SVG (the always-valid confidence sequence as a
 * bar, the fixed-horizon interval as a thin line, the estimate as a dot, zero as the axis).
 */
import type { ExperimentReport, MetricResult } from '../../lambdas/core/experiments/decision';

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '—');
const fmt = (x: number) => (Number.isFinite(x) ? (Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3)) : '—');

const WIDTH = 520;
const HEIGHT = 34;

/** One row: relative lift with its intervals, on a scale shared by the page. */
function intervalSvg(result: MetricResult, span: number): string {
  const lift = result.comparison.relativeLift;
  const x = (v: number) => WIDTH / 2 + (Math.max(-span, Math.min(span, v)) / span) * (WIDTH / 2 - 10);
  const good = result.verdict === 'better' ? '#1a7f37' : result.verdict === 'worse' ? '#cf222e' : '#57606a';
  if (!(lift.se > 0)) {
    return `<svg width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="not enough data"><line x1="${x(0)}" y1="2" x2="${x(0)}" y2="${HEIGHT - 2}" stroke="#8c959f"/><text x="${x(0) + 6}" y="21" font-size="12" fill="#57606a">not enough units yet</text></svg>`;
  }
  const [s0, s1] = lift.sequential;
  const [f0, f1] = lift.fixed;
  return [
    `<svg width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="relative lift ${pct(lift.value)}, always-valid interval ${pct(s0)} to ${pct(s1)}">`,
    `<line x1="${x(0)}" y1="2" x2="${x(0)}" y2="${HEIGHT - 2}" stroke="#8c959f" stroke-dasharray="3 3"/>`,
    `<rect x="${x(s0)}" y="11" width="${Math.max(1, x(s1) - x(s0))}" height="12" rx="3" fill="${good}" fill-opacity="0.25" stroke="${good}"/>`,
    `<line x1="${x(f0)}" y1="17" x2="${x(f1)}" y2="17" stroke="${good}" stroke-width="2"/>`,
    `<circle cx="${x(lift.value)}" cy="17" r="4" fill="${good}"/>`,
    '</svg>',
  ].join('');
}

function metricRow(result: MetricResult, span: number, family: string, extra = ''): string {
  const c = result.comparison;
  return `<tr><td>${escape(result.metric)}<br><small>${family}, ${result.kind}, ${result.direction} is better</small></td>
<td>${fmt(c.control.mean)}<br><small>n = ${c.control.n}</small></td><td>${fmt(c.treatment.mean)}<br><small>n = ${c.treatment.n}</small></td>
<td>${pct(c.relativeLift.value)}<br><small>${pct(c.relativeLift.sequential[0])} to ${pct(c.relativeLift.sequential[1])}</small></td>
<td>${result.adjustedP < 1e-4 ? result.adjustedP.toExponential(1) : result.adjustedP.toFixed(4)}</td><td>${result.verdict}${extra}</td>
<td>${intervalSvg(result, span)}</td></tr>`;
}

export function renderAbReportHtml(report: ExperimentReport, generatedAt: string): string {
  const all = report.arms.flatMap((a) => [a.primary, ...a.secondary, ...a.guardrails]);
  const reach = all.flatMap((m) => (m.comparison.relativeLift.se > 0 ? [...m.comparison.relativeLift.sequential].map(Math.abs) : []));
  const span = Math.min(2, Math.max(0.05, ...reach.filter(Number.isFinite)));
  const arms = report.arms
    .map(
      (arm) => `<h2>${escape(arm.arm)} against ${escape(report.control)}: ${arm.decision.replace('_', ' ')}</h2>
<p>${escape(arm.reason)}</p>
<table><thead><tr><th>metric</th><th>${escape(report.control)}</th><th>${escape(arm.arm)}</th><th>lift (always-valid ${100 - 5}% interval)</th><th>adjusted p</th><th>verdict</th><th>relative lift, ±${pct(span)}</th></tr></thead><tbody>
${metricRow(arm.primary, span, 'primary')}
${arm.guardrails.map((g) => metricRow(g, span, 'guardrail (Holm)', g.breached ? ' — <b>breached</b>' : '')).join('\n')}
${arm.secondary.map((m) => metricRow(m, span, 'secondary (BH)')).join('\n')}
</tbody></table>
<h3>Success criteria</h3><ul>${arm.criteria.map((c) => `<li>${escape(c.metric)} ${escape(c.criterion)}: ${c.met ? 'met' : 'not met'} (interval ${fmt(c.interval[0])} to ${fmt(c.interval[1])})</li>`).join('')}</ul>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A/B test ${escape(report.experiment)}</title>
<style>body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1f2328;max-width:1200px}table{border-collapse:collapse;margin:1rem 0}
td,th{border-bottom:1px solid #d0d7de;padding:.35rem .6rem;text-align:left;vertical-align:middle}small{color:#57606a}
.decision{font-size:1.3rem;font-weight:600}.legend{color:#57606a}</style></head><body>
<h1>A/B test ${escape(report.experiment)} <small>bucket version ${report.bucketVersion}</small></h1>
<p class="decision">Decision: ${report.decision.replace('_', ' ')}</p><p>${escape(report.reason)}</p>
<p>${report.units} units in the primary metric; the sequential test plans ${report.sampleSize.sequentialTotal} (a test read once would need ${report.sampleSize.fixedTotal}); day ${Math.floor(report.elapsedDays)} of ${report.plannedDurationDays}.</p>
<p>Sample-ratio check: units ${report.srm.observed.join(' / ')} against expected ${report.srm.expected.map((e) => e.toFixed(0)).join(' / ')}, chi-square ${report.srm.chiSquare.toFixed(2)}, p = ${report.srm.p.toPrecision(3)} — ${report.srm.mismatch ? '<b>mismatch (p &lt; 0.001)</b>' : 'no mismatch'}.</p>
<p class="legend">Bars: always-valid confidence sequence (safe to read every day); thin line: fixed-horizon interval (valid only if read once at the planned end); dot: estimate; dashed: no change.</p>
${arms}
<p><small>Generated ${escape(generatedAt)} by npm run ab -- report.</small></p>
</body></html>
`;
}
