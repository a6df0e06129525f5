/** Splitting filing text into items: the table of contents and cross-references are not where an item starts. */
import { describe, expect, it } from 'vitest';
import { MDNA_TITLE, splitAnnualReport, splitQuarterlyReport } from '../../../../lambdas/adapters/sources/edgar/filing-items';

const ANNUAL = [
  'FORM 10-K',
  'TABLE OF CONTENTS',
  'Part I',
  'Item 1. | Business | 1',
  'Item 1A. | Risk Factors | 5',
  'Item 2. | Properties | 17',
  'Part II',
  'Item 7. | Management’s Discussion and Analysis of Financial Condition and Results of Operations | 21',
  'Item 7A. | Quantitative and Qualitative Disclosures About Market Risk | 27',
  'PART I',
  'Item 1. Business',
  'The Company designs, manufactures and markets smartphones.',
  'Item 1A of this Form 10-K describes the risks; this sentence is a cross-reference, not a heading.',
  'Example Inc. | 2025 Form 10-K | 3',
  'The Company sells through its retail and online stores.',
  'ITEM 1A. RISK FACTORS',
  'The Company’s business can be affected by macroeconomic conditions.',
  '17',
  'Item 2.    Properties',
  'The Company’s headquarters are in Cupertino.',
  'PART II',
  'Item 7. Management’s Discussion and Analysis of Financial Condition and Results of Operations',
  'Total net sales increased 6% during 2025 compared to 2024.',
  'Americas | $178,353 | 7%',
  'Item 7A. Quantitative and Qualitative Disclosures About Market Risk',
  'Interest rate risk is discussed here.',
].join('\n');

describe('splitAnnualReport', () => {
  const { sections, missing } = splitAnnualReport(ANNUAL);
  const byItem = Object.fromEntries(sections.map((s) => [s.item, s]));

  it('returns Items 1, 1A and 7 with the demo filings’ item keys and titles', () => {
    expect(sections.map((s) => [s.item, s.title])).toEqual([
      ['1', 'Business'],
      ['1A', 'Risk Factors'],
      ['7', MDNA_TITLE],
    ]);
    expect(missing).toEqual([]);
  });

  it('takes each item from its body, not from the table of contents', () => {
    expect(byItem['1']!.text.split('\n')[0]).toBe('The Company designs, manufactures and markets smartphones.');
    expect(byItem['7']!.text).toBe('Total net sales increased 6% during 2025 compared to 2024.\nAmericas | $178,353 | 7%');
  });

  it('does not end an item at a sentence that starts with a cross-reference, and leaves page furniture out', () => {
    expect(byItem['1']!.text.split('\n')).toEqual([
      'The Company designs, manufactures and markets smartphones.',
      'Item 1A of this Form 10-K describes the risks; this sentence is a cross-reference, not a heading.',
      'The Company sells through its retail and online stores.',
    ]);
    expect(byItem['1A']!.text).toBe('The Company’s business can be affected by macroeconomic conditions.');
  });

  it('names the items it could not find', () => {
    const result = splitAnnualReport('Item 1. Business\nWe make things.\nItem 2. Properties\nA plant.');
    expect(result.sections.map((s) => s.item)).toEqual(['1']);
    expect(result.missing).toEqual(['1A', '7']);
    expect(splitAnnualReport('No headings at all.').missing).toEqual(['1', '1A', '7']);
  });
});

const QUARTERLY = [
  'PART I — FINANCIAL INFORMATION',
  'Item 1. | Financial Statements | 1',
  'Item 2. | Management’s Discussion and Analysis of Financial Condition and Results of Operations | 13',
  'PART II — OTHER INFORMATION',
  'Item 1A. | Risk Factors | 20',
  'Item 2. | Unregistered Sales of Equity Securities and Use of Proceeds | 21',
  'PART I — FINANCIAL INFORMATION',
  'Item 1. Financial Statements',
  'Net sales | $124,300',
  'Item 2. Management’s Discussion and Analysis of Financial Condition and Results of Operations',
  'Total net sales increased 4% during the first quarter of 2026.',
  'Item 3. Quantitative and Qualitative Disclosures About Market Risk',
  'There have been no material changes.',
  'PART II — OTHER INFORMATION',
  'Item 1A. Risk Factors',
  'There have been no material changes to the Company’s risk factors since the 2025 Form 10-K.',
  'Item 2. Unregistered Sales of Equity Securities and Use of Proceeds',
  'Share repurchases during the quarter were as follows, and this text is longer than the MD&A line above on purpose.',
].join('\n');

describe('splitQuarterlyReport', () => {
  it('takes Part I Item 2 (MD&A), not Part II Item 2, and Part II Item 1A', () => {
    const { sections, missing } = splitQuarterlyReport(QUARTERLY);
    expect(sections).toEqual([
      { item: '2', title: MDNA_TITLE, text: 'Total net sales increased 4% during the first quarter of 2026.' },
      {
        item: '1A',
        title: 'Risk Factors',
        text: 'There have been no material changes to the Company’s risk factors since the 2025 Form 10-K.',
      },
    ]);
    expect(missing).toEqual([]);
  });

  it('takes Item 2 from anywhere when the text has no part headings', () => {
    const { sections } = splitQuarterlyReport('Item 2. MD&A\nRevenue grew.\nItem 3. Market Risk\nNone.');
    expect(sections.map((s) => [s.item, s.text])).toEqual([['2', 'Revenue grew.']]);
  });
});
