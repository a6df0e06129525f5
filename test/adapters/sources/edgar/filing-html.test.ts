/** Filing HTML and inline XBRL to text: what a reader sees, one paragraph or table row per line. */
import { describe, expect, it } from 'vitest';
import { filingHtmlToText, joinTableCells } from '../../../../lambdas/adapters/sources/edgar/filing-html';

const INLINE_XBRL = `<?xml version='1.0' encoding='ASCII'?>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:ix="http://www.xbrl.org/2013/inlineXBRL">
<head><title>aapl-20250927</title><style>p { margin: 0 }</style></head>
<body>
<div style="display:none"><ix:header><ix:hidden><ix:nonNumeric name="dei:AmendmentFlag">false</ix:nonNumeric>
<ix:nonNumeric name="dei:DocumentFiscalYearFocus">2025</ix:nonNumeric></ix:hidden>
<ix:resources><xbrli:context id="c-1">http://fasb.org/us-gaap/2025</xbrli:context></ix:resources></ix:header></div>
<script>var tracking = "do not show";</script>
<div><span style="font-weight:700">Item 7.&#160;&#160;&#160;&#160;Management&#8217;s Discussion</span></div>
<div><span>Total net sales were </span><span><ix:nonFraction name="us-gaap:Revenues" scale="6">416,161</ix:nonFraction></span><span> million &amp; rose.</span></div>
<p>First line<br/>second line</p>
<table>
<tr><td></td><td>2025</td><td></td><td>2024</td></tr>
<tr><td><span>Net sales</span></td><td>$</td><td>416,161</td><td></td><td>$</td><td>391,035</td></tr>
<tr><td>Other income/(expense), net</td><td>(321</td><td>)</td><td>269</td></tr>
<tr><td>Gross margin percentage</td><td>46.9</td><td>%</td></tr>
</table>
<div style="DISPLAY: NONE">hidden note</div>
<p>After the table</p>
</body></html>`;

describe('filingHtmlToText', () => {
  const lines = filingHtmlToText(INLINE_XBRL).split('\n');

  it('drops the hidden ix:header facts, scripts, styles and the document title', () => {
    const text = lines.join('\n');
    expect(text).not.toMatch(/AmendmentFlag|false|fasb\.org|tracking|margin: 0|aapl-20250927|hidden note/);
  });

  it('keeps visible inline XBRL figures in their sentence, with entities decoded and spaces collapsed', () => {
    expect(lines).toContain('Item 7. Management’s Discussion');
    expect(lines).toContain('Total net sales were 416,161 million & rose.');
  });

  it('breaks lines at blocks and <br>', () => {
    expect(lines).toEqual(expect.arrayContaining(['First line', 'second line', 'After the table']));
  });

  it('turns each table row into one line of cells, with $, ) and % glued to their figure', () => {
    expect(lines).toEqual(
      expect.arrayContaining([
        '2025 | 2024',
        'Net sales | $416,161 | $391,035',
        'Other income/(expense), net | (321) | 269',
        'Gross margin percentage | 46.9%',
      ]),
    );
  });

  it('copes with unclosed tags and stray end tags as older filings have them', () => {
    expect(filingHtmlToText('<p>One<p>Two</div><table><tr><td>a<td>b</table><p>Three').split('\n')).toEqual([
      'One',
      'Two',
      'a | b',
      'Three',
    ]);
  });
});

describe('joinTableCells', () => {
  it('drops empty and whitespace-only cells', () => {
    expect(joinTableCells(['', ' Revenue ', '\u00a0', '12'])).toBe('Revenue | 12');
  });

  it('keeps a currency sign that ends the row', () => {
    expect(joinTableCells(['Total', '$'])).toBe('Total | $');
  });
});
