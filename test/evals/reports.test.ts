/** The reports say what failed and why, and the HTML page stands alone (no scripts, no fetched assets). */
import { describe, expect, it } from 'vitest';
import { judgeMetric } from '../../lambdas/core/evaluation/gate';
import { wilson } from '../../lambdas/core/evaluation/stats';
import { htmlReport, junitXml, markdown } from '../../evals/lib/reports';
import type { EvalReport } from '../../evals/lib/run-eval';

const report: EvalReport = {
  pass: false,
  llm: 'local',
  startedAt: '2026-12-04T21:00:00.000Z',
  seconds: 12.5,
  datasets: { regression: 'a'.repeat(64), adversarial: 'b'.repeat(64), query: 'c'.repeat(64) },
  suites: {
    adversarial: {
      n: 3,
      notes: {},
      metrics: {
        'recall.wrong_scale': judgeMetric(wilson(1, 2), { min: 0.95, about: 'scale errors caught' }),
        false_positive_rate: judgeMetric(wilson(0, 1), { max: 0.05 }),
      },
      items: {},
      failing: [
        {
          id: 'adv-wrong_scale-WJRX-0',
          pass: false,
          findings: [{ check: 'recall.wrong_scale', detail: 'not flagged: "Revenue was $1.55 million <b>"' }],
        },
      ],
    },
  },
};

describe('the evaluation reports', () => {
  it('render a self-contained HTML page with a bar per metric and the failing items with their findings', () => {
    const html = htmlReport(report);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script|<link|src=|href="http/i);
    expect(html).toContain('Evaluation <span class="bad">FAIL</span>');
    expect(html.match(/class="bar"/g)).toHaveLength(2);
    expect(html).toContain('adv-wrong_scale-WJRX-0');
    // Finding text is escaped, never markup.
    expect(html).toContain('$1.55 million &lt;b&gt;');
    expect(html).toContain('0.5 is below the threshold 0.95');
  });

  it('write one JUnit testcase per metric, failures with their items', () => {
    const xml = junitXml(report);
    expect(xml).toContain('<testsuite name="eval.adversarial" tests="2" failures="1" errors="0">');
    expect(xml).toMatch(
      /name="recall.wrong_scale"[^]*<failure message="0.5 is below the threshold 0.95"[^>]*>adv-wrong_scale-WJRX-0: not flagged/,
    );
    expect(xml).toMatch(/name="false_positive_rate"[^/]*<system-out>[^<]*<\/system-out><\/testcase>/);
  });

  it('write Markdown with the dataset hashes and a row per metric', () => {
    const md = markdown(report);
    expect(md).toContain(`| adversarial | \`${'b'.repeat(64)}\` |`);
    expect(md).toMatch(/\| recall.wrong_scale \| 0.5000 \| \[0.\d+, 0.\d+\] \| ≥ 0.9500 \|/);
  });
});
