/**
 * The evaluation's reports: JUnit XML (one testcase per metric, for CI test tabs), Markdown (for a
 * pull request), and one self-contained HTML page (no scripts, no external assets) with a bar and
 * interval per metric and the failing items with their findings.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MetricVerdict } from '../../lambdas/core/evaluation/gate';
import type { EvalReport } from './run-eval';

const xml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
const html = xml;
const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toFixed(4));
const limitText = (m: MetricVerdict) => `${m.direction === 'min' ? '≥' : '≤'} ${fmt(m.threshold)}${m.hard ? ' (hard gate)' : ''}`;
const MAX_FAILING = 50;

export function junitXml(report: EvalReport): string {
  const suites = Object.entries(report.suites).map(([name, suite]) => {
    const metrics = Object.entries(suite.metrics);
    const failures = metrics.filter(([, m]) => !m.pass).length;
    const cases = metrics.map(([metric, m]) => {
      const body = m.pass
        ? ''
        : `<failure message="${xml(m.reason ?? 'failed')}" type="QualityGate">${xml(
            suite.failing
              .filter((i) => i.findings.some((f) => f.check === metric))
              .slice(0, 20)
              .map((i) => `${i.id}: ${i.findings.find((f) => f.check === metric)!.detail}`)
              .join('\n'),
          )}</failure>`;
      return `    <testcase classname="eval.${name}" name="${xml(metric)}" time="0"><system-out>${xml(`${fmt(m.value)} [${fmt(m.low)}, ${fmt(m.high)}] n=${m.n}, limit ${limitText(m)}`)}</system-out>${body}</testcase>`;
    });
    return `  <testsuite name="eval.${name}" tests="${metrics.length}" failures="${failures}" errors="0">\n${cases.join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="npm run eval" time="${report.seconds}">\n${suites.join('\n')}\n</testsuites>\n`;
}

export function markdown(report: EvalReport): string {
  const lines = [
    `# Evaluation: ${report.pass ? 'PASS' : 'FAIL'}`,
    '',
    `Model \`${report.llm}\`, started ${report.startedAt}, ${report.seconds} s.`,
    '',
    '| dataset | sha256 |',
    '|---|---|',
    ...Object.entries(report.datasets).map(([k, h]) => `| ${k} | \`${h}\` |`),
  ];
  for (const [name, suite] of Object.entries(report.suites)) {
    lines.push(
      '',
      `## ${name} (n = ${suite.n})`,
      '',
      '| metric | value | 95 % interval | limit | baseline Δ | |',
      '|---|---|---|---|---|---|',
    );
    for (const [metric, m] of Object.entries(suite.metrics)) {
      const delta = m.baseline ? `${m.baseline.delta >= 0 ? '+' : ''}${fmt(m.baseline.delta)}` : '—';
      lines.push(
        `| ${metric} | ${fmt(m.value)} | [${fmt(m.low)}, ${fmt(m.high)}] | ${limitText(m)} | ${delta} | ${m.pass ? '✅' : `❌ ${m.reason ?? ''}`} |`,
      );
    }
    if (suite.failing.length > 0) {
      lines.push('', `Failing items (${suite.failing.length}${suite.failing.length > MAX_FAILING ? `, first ${MAX_FAILING}` : ''}):`, '');
      for (const item of suite.failing.slice(0, MAX_FAILING))
        lines.push(`- \`${item.id}\`: ${item.findings.map((f) => `${f.check}: ${f.detail}`).join('; ')}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function bar(m: MetricVerdict): string {
  // Rates are drawn on [0, 1]; other metrics on [0, 2 × the limit] so the limit sits in the middle.
  const rate = m.threshold <= 1 && m.high <= 1 && m.low >= 0;
  const top = rate ? 1 : Math.max(m.threshold * 2, m.high * 1.05, 1e-9);
  const x = (v: number) => `${Math.max(0, Math.min(100, (v / top) * 100)).toFixed(2)}%`;
  return `<div class="bar" title="${html(`${fmt(m.value)} [${fmt(m.low)}, ${fmt(m.high)}]`)}"><div class="fill ${m.pass ? 'ok' : 'bad'}" style="width:${x(m.value)}"></div><div class="ci" style="left:${x(m.low)};width:calc(${x(m.high)} - ${x(m.low)})"></div><div class="limit" style="left:${x(m.threshold)}"></div></div>`;
}

export function htmlReport(report: EvalReport): string {
  const sections = Object.entries(report.suites).map(([name, suite]) => {
    const rows = Object.entries(suite.metrics)
      .map(
        ([metric, m]) =>
          `<tr class="${m.pass ? '' : 'failed'}"><td><b>${html(metric)}</b>${m.about ? `<div class="about">${html(m.about)}</div>` : ''}</td><td class="num">${fmt(m.value)}</td><td class="num">[${fmt(m.low)}, ${fmt(m.high)}]</td><td class="num">${html(limitText(m))}</td><td>${bar(m)}</td><td>${m.baseline ? html(`${m.baseline.delta >= 0 ? '+' : ''}${fmt(m.baseline.delta)} vs ${fmt(m.baseline.value)}`) : '—'}</td><td>${m.pass ? '<span class="ok">pass</span>' : `<span class="bad">FAIL</span> ${html(m.reason ?? '')}`}</td></tr>`,
      )
      .join('\n');
    const failing = suite.failing
      .slice(0, MAX_FAILING)
      .map(
        (item) =>
          `<li><code>${html(item.id)}</code><ul>${item.findings.map((f) => `<li><b>${html(f.check)}</b>: ${html(f.detail)}</li>`).join('')}</ul></li>`,
      )
      .join('\n');
    return `<section><h2>${html(name)} <small>n = ${suite.n}</small></h2>
<table><thead><tr><th>metric</th><th>value</th><th>95 % interval</th><th>limit</th><th>bar · interval · limit</th><th>baseline</th><th>verdict</th></tr></thead><tbody>
${rows}
</tbody></table>
${suite.failing.length > 0 ? `<details ${Object.values(suite.metrics).some((m) => !m.pass) ? 'open' : ''}><summary>${suite.failing.length} failing items${suite.failing.length > MAX_FAILING ? ` (first ${MAX_FAILING})` : ''}</summary><ul class="items">${failing}</ul></details>` : '<p>No failing items.</p>'}
</section>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Evaluation ${report.pass ? 'PASS' : 'FAIL'}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1b1f24}
h1 .ok,h1 .bad{padding:.1rem .5rem;border-radius:4px;color:#fff}
.ok{color:#1a7f37}.bad{color:#cf222e}h1 .ok{background:#1a7f37}h1 .bad{background:#cf222e}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}th,td{border-bottom:1px solid #d0d7de;padding:.35rem .5rem;text-align:left;vertical-align:top}
tr.failed{background:#ffebe9}.num{font-variant-numeric:tabular-nums;white-space:nowrap}.about{color:#57606a;font-size:12px}
.bar{position:relative;width:220px;height:14px;background:#eaeef2;border-radius:3px}
.fill{position:absolute;left:0;top:0;bottom:0;border-radius:3px}.fill.ok{background:#4ac26b}.fill.bad{background:#ff8182}
.ci{position:absolute;top:5px;height:4px;background:#24292f}.limit{position:absolute;top:-3px;bottom:-3px;width:2px;background:#9a6700}
code{background:#f6f8fa;padding:0 .2rem}ul.items>li{margin:.3rem 0}small{color:#57606a;font-weight:normal}
</style></head><body>
<h1>Evaluation <span class="${report.pass ? 'ok' : 'bad'}">${report.pass ? 'PASS' : 'FAIL'}</span></h1>
<p>Model <code>${html(report.llm)}</code> · started ${html(report.startedAt)} · ${report.seconds} s${report.baseline ? ` · baseline <code>${html(report.baseline.file)}</code> ${report.baseline.comparable ? '(paired)' : '(not comparable: other datasets or model)'}` : ''}</p>
<table><thead><tr><th>dataset</th><th>sha256</th></tr></thead><tbody>${Object.entries(report.datasets)
    .map(([k, h]) => `<tr><td>${html(k)}</td><td><code>${h}</code></td></tr>`)
    .join('')}</tbody></table>
<p class="about">Bars: the value (green passes, red fails), the black line its 95 % interval (Wilson for rates), the gold mark the limit.</p>
${sections.join('\n')}
</body></html>
`;
}

/** Write report.json, junit.xml, report.md and report.html into `dir`; returns their paths. */
export function writeReports(dir: string, report: EvalReport): Record<'json' | 'junit' | 'markdown' | 'html', string> {
  mkdirSync(dir, { recursive: true });
  const paths = {
    json: join(dir, 'report.json'),
    junit: join(dir, 'junit.xml'),
    markdown: join(dir, 'report.md'),
    html: join(dir, 'report.html'),
  };
  writeFileSync(paths.json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(paths.junit, junitXml(report));
  writeFileSync(paths.markdown, markdown(report));
  writeFileSync(paths.html, htmlReport(report));
  return paths;
}
