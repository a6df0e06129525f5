/** The `npm run detect` run: rows stream through, malformed rows are reported by line and id, labels give the contract's metrics. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { confusion, runDetect } from '../../../scripts/lib/detect-run';

const source = { id: 's1', text: 'In fiscal 2024 net sales were $1.2 billion. Operating income was $210 million.' };

describe('runDetect', () => {
  it('writes one result per good row, reports malformed rows and counts the confusion matrix', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'detect-'));
    const file = join(dir, 'in.jsonl');
    writeFileSync(
      file,
      [
        JSON.stringify({ id: 'ok', text: 'Net sales were $1.2 billion in fiscal 2024.', sources: [source], label: false }),
        JSON.stringify({ id: 'bad-line-item', text: 'Revenue was $210 million in fiscal 2024.', sources: [source], label: true }),
        '{not json',
        JSON.stringify({ id: 'no-sources', text: 'x' }),
        '',
      ].join('\n'),
    );
    const out = new PassThrough();
    const chunks: string[] = [];
    out.on('data', (c) => chunks.push(String(c)));
    const warnings: string[] = [];
    const summary = await runDetect({ input: file, output: out, warn: (w) => warnings.push(w) });
    expect(summary.rows).toBe(2);
    expect(summary.malformed).toBe(2);
    expect(warnings[0]).toMatch(/^line 3: not JSON/);
    expect(warnings[1]).toMatch(/^line 4 \(id no-sources\): sources/);
    const rows = chunks
      .join('')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.map((r) => [r.id, r.hallucinated])).toEqual([
      ['ok', false],
      ['bad-line-item', true],
    ]);
    expect(Object.keys(rows[0])).toEqual(['id', 'hallucinated', 'score', 'decision', 'claims']);
    expect(Object.keys(rows[0].claims[0])).toEqual(expect.arrayContaining(['text', 'status', 'span', 'reason']));
    expect(summary.confusion).toEqual(confusion(1, 0, 1, 0));
  });

  it('prints the metrics object with the contract keys in order', () => {
    expect(Object.keys(confusion(3, 1, 5, 2))).toEqual(['n', 'tp', 'fp', 'tn', 'fn', 'precision', 'recall', 'f1', 'balancedAccuracy']);
    expect(confusion(3, 1, 5, 2)).toMatchObject({ n: 11, precision: 0.75, recall: 0.6 });
  });
});
