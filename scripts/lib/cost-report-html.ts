/**
 * The cost report as one self-contained HTML page: inline CSS and inline SVG charts, no scripts,
 * fonts or CDNs, so it opens from disk in any browser and can be mailed as a file.
 */
import type { CostReport, Share, UnitSection } from '../../lambdas/core/cost/report';

const PALETTE = ['#2563eb', '#16a34a', '#f59e0b', '#dc2626', '#7c3aed', '#0891b2', '#db2777', '#65a30d', '#ea580c', '#475569'];

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** USD with enough digits to read small infrastructure figures. */
export function money(usd: number): string {
  if (usd === 0) return '$0';
  const abs = Math.abs(usd);
  if (abs >= 100) return `$${usd.toFixed(0)}`;
  if (abs >= 1) return `$${usd.toFixed(2)}`;
  if (abs >= 0.01) return `$${usd.toFixed(4)}`;
  if (abs >= 0.0001) return `$${usd.toFixed(6)}`;
  return `$${usd.toExponential(2)}`;
}

/** `us.anthropic.claude-sonnet-4-5-20250929-v1:0` → `claude-sonnet-4-5-20250929`: chart labels must fit. */
function shortModel(modelId: string): string {
  return modelId
    .replace(/^(us|eu|apac|global)\./, '')
    .replace(/^(anthropic|amazon)\./, '')
    .replace(/-v\d+:\d+$/, '')
    .replace(/:\d+$/, '');
}

function percent(share: number): string {
  return share >= 0.001 ? `${(share * 100).toFixed(1)}%` : share > 0 ? '<0.1%' : '0%';
}

function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** Horizontal bars, one per item, labelled with name, amount and share. */
function barChart(title: string, items: Array<{ name: string; costUsd: number; share: number }>, options: { width?: number } = {}): string {
  const width = options.width ?? 640;
  const row = 30;
  const label = 190;
  const valueWidth = 150;
  const plot = width - label - valueWidth;
  const max = Math.max(...items.map((i) => i.costUsd), 1e-12);
  const height = items.length * row + 10;
  const bars = items
    .map((item, i) => {
      const y = i * row + 5;
      const w = Math.max(1, (item.costUsd / max) * plot);
      return [
        `<text x="${label - 8}" y="${y + 19}" text-anchor="end" class="lbl">${esc(item.name)}</text>`,
        `<rect x="${label}" y="${y + 4}" width="${w.toFixed(1)}" height="${row - 10}" rx="3" fill="${PALETTE[i % PALETTE.length]}"><title>${esc(item.name)}: ${money(item.costUsd)}</title></rect>`,
        `<text x="${(label + w + 6).toFixed(1)}" y="${y + 19}" class="val">${money(item.costUsd)} · ${percent(item.share)}</text>`,
      ].join('');
    })
    .join('');
  return `<figure><figcaption>${esc(title)}</figcaption><svg viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(title)}">${bars}</svg></figure>`;
}

/** A single stacked bar splitting the total by agent, with a legend: the one-glance answer. */
function stackedBar(items: Share[], total: number): string {
  const width = 900;
  let x = 0;
  const segments = items
    .map((item, i) => {
      const w = total > 0 ? (item.costUsd / total) * width : 0;
      const rect = `<rect x="${x.toFixed(2)}" y="0" width="${Math.max(w, 0).toFixed(2)}" height="34" fill="${PALETTE[i % PALETTE.length]}"><title>${esc(item.name)}: ${money(item.costUsd)} (${percent(item.share)})</title></rect>`;
      x += w;
      return rect;
    })
    .join('');
  const legend = items
    .map(
      (item, i) =>
        `<span class="key"><i style="background:${PALETTE[i % PALETTE.length]}"></i>${esc(item.name)} ${money(item.costUsd)} (${percent(item.share)})</span>`,
    )
    .join('');
  return `<svg viewBox="0 0 ${width} 34" width="100%" height="34" preserveAspectRatio="none" role="img" aria-label="Cost by agent">${segments}</svg><div class="legend">${legend}</div>`;
}

/** Histogram of unit costs with the target and cap marked. */
function histogram(section: UnitSection, noun: string): string {
  const width = 900;
  const height = 260;
  const left = 50;
  const bottom = 40;
  const plotW = width - left - 20;
  const plotH = height - bottom - 20;
  const bins = section.histogram;
  const upper = bins[bins.length - 1]!.toUsd;
  const maxCount = Math.max(...bins.map((b) => b.count), 1);
  const barW = plotW / bins.length;
  const xOf = (usd: number) => left + (usd / upper) * plotW;
  const bars = bins
    .map((b, i) => {
      const h = (b.count / maxCount) * plotH;
      const over = b.fromUsd >= section.budget.targetUsd;
      return `<rect x="${(left + i * barW + 1).toFixed(1)}" y="${(20 + plotH - h).toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${h.toFixed(1)}" fill="${over ? '#f59e0b' : '#2563eb'}"><title>${money(b.fromUsd)}–${money(b.toUsd)}: ${b.count} ${noun}</title></rect>`;
    })
    .join('');
  const ticks = [0, 0.25, 0.5, 0.75, 1]
    .map((f) => `<text x="${xOf(upper * f).toFixed(1)}" y="${height - 18}" text-anchor="middle" class="axis">${money(upper * f)}</text>`)
    .join('');
  const marker = (usd: number, name: string, color: string) =>
    usd <= upper
      ? `<line x1="${xOf(usd).toFixed(1)}" x2="${xOf(usd).toFixed(1)}" y1="14" y2="${20 + plotH}" stroke="${color}" stroke-width="2" stroke-dasharray="6 4"/><text x="${(xOf(usd) + 4).toFixed(1)}" y="28" class="mark" fill="${color}">${name} ${money(usd)}</text>`
      : '';
  const axis = `<line x1="${left}" x2="${left + plotW}" y1="${20 + plotH}" y2="${20 + plotH}" stroke="#94a3b8"/><text x="${left - 6}" y="26" text-anchor="end" class="axis">${maxCount}</text><text x="${left - 6}" y="${20 + plotH}" text-anchor="end" class="axis">0</text>`;
  const stats = section.distribution;
  const medianLine = `<line x1="${xOf(stats.p50Usd).toFixed(1)}" x2="${xOf(stats.p50Usd).toFixed(1)}" y1="20" y2="${20 + plotH}" stroke="#16a34a" stroke-width="2"/><text x="${(xOf(stats.p50Usd) + 4).toFixed(1)}" y="${44}" class="mark" fill="#16a34a">p50 ${money(stats.p50Usd)}</text>`;
  return `<figure><figcaption>Cost per ${noun.replace(/s$/, '')}: ${count(stats.count)} ${noun} (counts per bin; amber bins are above the target)</figcaption><svg viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="Histogram of cost per ${noun}">${axis}${bars}${ticks}${medianLine}${marker(section.budget.targetUsd, 'target', '#d97706')}${marker(section.budget.capUsd, 'cap', '#dc2626')}</svg></figure>`;
}

function kpi(label: string, value: string, note = '', tone: 'good' | 'bad' | 'plain' = 'plain'): string {
  return `<div class="kpi ${tone}"><div class="k">${esc(label)}</div><div class="v">${esc(value)}</div><div class="n">${esc(note)}</div></div>`;
}

function unitBlock(section: UnitSection, noun: string): string {
  const d = section.distribution;
  const cards = [
    kpi(
      `mean per ${noun.replace(/s$/, '')}`,
      money(d.meanUsd),
      `target ${money(section.budget.targetUsd)} · cap ${money(section.budget.capUsd)}`,
      section.meetsTarget ? 'good' : 'bad',
    ),
    kpi('p50 / p95', `${money(d.p50Usd)} / ${money(d.p95Usd)}`, `min ${money(d.minUsd)}`),
    kpi(
      'max',
      money(d.maxUsd),
      d.maxUsd > section.budget.capUsd ? 'above the cap' : 'within the cap',
      d.maxUsd > section.budget.capUsd ? 'bad' : 'plain',
    ),
    kpi(
      'over target / over cap',
      `${section.overTarget} / ${section.overCap}`,
      `${section.downgrades} downgrades · ${section.skippedSteps} skipped steps · ${section.retried} retried`,
      section.overCap > 0 ? 'bad' : 'plain',
    ),
    kpi(
      'split',
      `${percent(section.modelUsd / Math.max(d.totalUsd, 1e-12))} models`,
      `${money(section.embeddingUsd)} embeddings · ${money(section.infrastructureUsd)} infrastructure`,
    ),
  ].join('');
  const top = section.top
    .map(
      (u) =>
        `<tr><td>${esc(u.unitId)}</td><td class="num">${money(u.costUsd)}</td><td class="num">${u.attempts}</td><td>${esc(u.status.replace(/_/g, ' '))}</td></tr>`,
    )
    .join('');
  return `<section><h2>${esc(noun[0]!.toUpperCase() + noun.slice(1))}</h2><div class="kpis">${cards}</div>${histogram(section, noun)}
<h3>Most expensive ${esc(noun)}</h3><table><thead><tr><th>${noun === 'stocks' ? 'ticker' : 'query'}</th><th>cost</th><th>attempts</th><th>budget</th></tr></thead><tbody>${top}</tbody></table></section>`;
}

/** The whole page. */
export function renderCostReportHtml(report: CostReport, generatedAt: string): string {
  const t = report.total;
  const byTask = report.byTask
    .map(
      (r) =>
        `<tr><td>${esc(r.agent)}</td><td>${esc(r.name)}</td><td>${esc(r.modelId)}</td><td class="num">${count(r.calls)}</td><td class="num">${count(r.tokens.input)}</td><td class="num">${count(r.tokens.output)}</td><td class="num">${count(r.tokens.cacheRead)}</td><td class="num">${count(r.tokens.cacheWrite)}</td><td class="num">${money(r.costUsd)}</td><td class="num">${percent(r.share)}</td></tr>`,
    )
    .join('');
  const infra = report.infrastructure
    .map(
      (r) =>
        `<tr><td>${esc(r.name)}</td><td>${esc(r.units)}</td><td class="num">${money(r.costUsd)}</td><td class="num">${percent(r.share)}</td></tr>`,
    )
    .join('');
  const headline = [
    kpi('total', money(t.costUsd), `${count(t.attempts)} unit attempts · ${count(t.calls)} model and embedding calls`),
    kpi('models', money(t.modelUsd), percent(t.modelUsd / Math.max(t.costUsd, 1e-12))),
    kpi('embeddings', money(t.embeddingUsd), percent(t.embeddingUsd / Math.max(t.costUsd, 1e-12))),
    kpi('infrastructure', money(t.infrastructureUsd), percent(t.infrastructureUsd / Math.max(t.costUsd, 1e-12))),
    kpi(
      'tokens',
      `${count(t.tokens.input + t.tokens.cacheRead + t.tokens.cacheWrite)} in / ${count(t.tokens.output)} out`,
      `${count(t.tokens.cacheRead)} cache read · ${count(t.tokens.cacheWrite)} cache write`,
    ),
  ].join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cost report — ${esc(report.runId)}</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#0f172a;margin:0;background:#f8fafc}
main{max-width:980px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 10px;border-bottom:1px solid #e2e8f0;padding-bottom:4px}h3{font-size:15px;margin:18px 0 6px}
.sub{color:#475569;margin-bottom:16px}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:10px;margin:10px 0 14px}
.kpi{background:#fff;border:1px solid #e2e8f0;border-radius:8px;padding:10px 12px}.kpi .k{color:#64748b;font-size:12px;text-transform:uppercase;letter-spacing:.03em}
.kpi .v{font-size:20px;font-weight:600;margin:2px 0}.kpi .n{color:#64748b;font-size:12px}.kpi.good{border-left:4px solid #16a34a}.kpi.bad{border-left:4px solid #dc2626}
figure{background:#fff;border:1px solid #e2e8f0;border-radius:8px;padding:12px;margin:12px 0}figcaption{font-weight:600;margin-bottom:8px}
svg text{font:12px system-ui,sans-serif}.lbl{fill:#0f172a}.val{fill:#334155}.axis{fill:#64748b}.mark{font-weight:600}
.legend{display:flex;flex-wrap:wrap;gap:6px 16px;margin-top:8px}.key{font-size:12px;color:#334155}.key i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px;vertical-align:-1px}
table{border-collapse:collapse;width:100%;background:#fff;border:1px solid #e2e8f0;font-size:13px}th,td{padding:5px 8px;border-bottom:1px solid #eef2f7;text-align:left}th{background:#f1f5f9;font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums}
.note{color:#64748b;font-size:12px;margin-top:24px}
</style></head>
<body><main>
<h1>Where the money goes — ${esc(report.runId)}</h1>
<div class="sub">${esc(report.firstAt)} → ${esc(report.lastAt)} · price table ${esc(report.priceVersion)}${report.estimated ? ' · <b>model figures are estimates</b> (local provider token counts)' : ' · token counts as returned by the model API'}</div>
<div class="kpis">${headline}</div>
<figure><figcaption>Cost by agent (infrastructure is AWS: Lambda, Step Functions, DynamoDB, ElastiCache, CloudWatch, S3)</figcaption>${stackedBar(report.byAgent, t.costUsd)}</figure>
${barChart(
  'Cost by model',
  report.byModel.map((m) => ({ ...m, name: shortModel(m.name) })),
)}
${report.stocks ? unitBlock(report.stocks, 'stocks') : ''}
${report.queries ? unitBlock(report.queries, 'queries') : ''}
<section><h2>By agent, task and model</h2><table><thead><tr><th>agent</th><th>task</th><th>model</th><th>calls</th><th>input tok</th><th>output tok</th><th>cache read</th><th>cache write</th><th>cost</th><th>share</th></tr></thead><tbody>${byTask}</tbody></table></section>
<section><h2>Infrastructure</h2>${report.infrastructure.length > 0 ? barChart('AWS services', report.infrastructure) : '<p>No infrastructure prices in the price table.</p>'}
<table><thead><tr><th>service</th><th>units</th><th>cost</th><th>share of run</th></tr></thead><tbody>${infra}</tbody></table></section>
<p class="note">Generated ${esc(generatedAt)} from the cost ledger (every attempt counted, failed attempts included). Prices and the assumptions that turn measured usage into AWS units are in config/prices.yaml; budgets in config/budgets.yaml. See docs/COST.md.</p>
</main></body></html>
`;
}
