/** Where a filing's documents live on www.sec.gov, and finding the press release in a filing index. */
import { describe, expect, it } from 'vitest';
import {
  archivePathOf,
  exhibit991Of,
  filingIndexPathOf,
  FilingTextError,
  pressReleaseSectionsOf,
  reportSectionsOf,
} from '../../../../lambdas/adapters/sources/edgar/filing-documents';

describe('Archives paths', () => {
  it('drop the CIK’s leading zeros and the accession’s dashes', () => {
    expect(archivePathOf('0000320193', '0000320193-25-000079', 'aapl-20250927.htm')).toBe(
      '/Archives/edgar/data/320193/000032019325000079/aapl-20250927.htm',
    );
    expect(filingIndexPathOf('0000320193', '0000320193-25-000077')).toBe(
      '/Archives/edgar/data/320193/000032019325000077/0000320193-25-000077-index.htm',
    );
  });
});

describe('exhibit991Of', () => {
  it('finds the EX-99.1 document in the index’s document table', () => {
    const index = `<table><tr><th>Seq</th><th>Description</th><th>Document</th><th>Type</th><th>Size</th></tr>
      <tr><td>1</td><td>8-K</td><td><a href="/x/aapl-20251030.htm">aapl-20251030.htm</a> iXBRL</td><td>8-K</td><td>1</td></tr>
      <tr><td>2</td><td>EX-99.1</td><td><a href="/x/a8-kex991q4202509272025.htm">a8-kex991q4202509272025.htm</a></td><td>EX-99.1</td><td>2</td></tr>
      <tr><td>3</td><td>EX-99.2</td><td><a href="/x/a8-kex992.htm">a8-kex992.htm</a></td><td>EX-99.2</td><td>3</td></tr></table>`;
    expect(exhibit991Of(index)).toBe('a8-kex991q4202509272025.htm');
  });

  it('accepts EX-99.01 and says undefined when there is no such exhibit', () => {
    expect(exhibit991Of('<table><tr><td>2</td><td>release</td><td>pr.htm</td><td>EX-99.01</td></tr></table>')).toBe('pr.htm');
    expect(exhibit991Of('<table><tr><td>1</td><td>8-K</td><td>form8k.htm</td><td>8-K</td></tr></table>')).toBeUndefined();
  });
});

describe('section readers', () => {
  it('name the items they could not find when a report has none', () => {
    expect(() => reportSectionsOf('<p>Cover page only.</p>', '10-K')).toThrow(FilingTextError);
    expect(() => reportSectionsOf('<p>Cover page only.</p>', '10-Q')).toThrow('no Item 2, Item 1A heading with text after it');
  });

  it('reject an empty press release', () => {
    expect(() => pressReleaseSectionsOf('<html><body><script>x</script></body></html>')).toThrow('the EX-99.1 exhibit has no text');
  });
});
