/**
 * The filings port over real SEC EDGAR: XBRL company facts as they stood on the as-of date, and the
 * latest annual report with the quarterly reports after it, from the company's submissions index.
 */
import type { CompanyFactsJson, CompanyProfile, FilingDocument, IsoDate } from '../../../core/model';
import { NotFoundError } from '../../../core/errors';
import type { FilingsSource } from '../../../core/ports';
import { companyFactsFiledBy } from './companyfacts';
import type { EdgarClient } from './edgar-client';
import { fiscalPositionOf } from './fiscal-periods';
import { fiscalYearEndMonthOf } from './submissions';
import type { SubmissionFiling, Submissions } from './submissions';

/**
 * The reports a brief rests on, as of `asOf`: the latest 10-K filed on or before it and the 10-Qs
 * filed after that 10-K (and on or before `asOf`), oldest first. With no 10-K yet (a new
 * registrant), the 10-Qs filed in the year before `asOf`. Amendments are left out: most 10-K/As
 * only add Part III, and the XBRL facts already carry any restated numbers.
 */
export function selectReportFilings(filings: readonly SubmissionFiling[], asOf: IsoDate): SubmissionFiling[] {
  const known = filings.filter((filing) => filing.filingDate <= asOf && filing.reportDate !== '');
  const byFilingDate = (a: SubmissionFiling, b: SubmissionFiling): number =>
    a.filingDate < b.filingDate ? -1 : a.filingDate > b.filingDate ? 1 : a.accessionNumber < b.accessionNumber ? -1 : 1;
  const annual = known.filter((filing) => filing.form === '10-K').sort(byFilingDate);
  const latestAnnual = annual[annual.length - 1];
  const yearBefore = `${Number(asOf.slice(0, 4)) - 1}${asOf.slice(4)}`;
  const quarterly = known
    .filter((filing) => filing.form === '10-Q')
    .filter((filing) => (latestAnnual ? filing.filingDate > latestAnnual.filingDate : filing.filingDate > yearBefore))
    .sort(byFilingDate);
  return latestAnnual ? [latestAnnual, ...quarterly] : quarterly;
}

/** Where a filing's primary document lives on www.sec.gov (for fetching and sectioning it later). */
export function filingDocumentUrl(cik: string, accessionNumber: string, primaryDocument: string): string {
  return `https://www.sec.gov/Archives/edgar/data/${Number(cik)}/${accessionNumber.replaceAll('-', '')}/${primaryDocument}`;
}

export class EdgarFilingsSource implements FilingsSource {
  constructor(private readonly client: Pick<EdgarClient, 'companyFacts' | 'submissions'>) {}

  /** The company's XBRL facts filed on or before `asOf`; undefined when EDGAR has none (HTTP 404) or none were filed by then. */
  async companyFacts(company: CompanyProfile, asOf: IsoDate): Promise<CompanyFactsJson | undefined> {
    let facts: CompanyFactsJson;
    try {
      facts = await this.client.companyFacts(company.cik);
    } catch (error) {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }
    return companyFactsFiledBy(facts, asOf);
  }

  /**
   * The latest 10-K and the 10-Qs after it, filed on or before `asOf`, built from submissions
   * metadata only: `sections` is always empty, because fetching the primary document (HTML or
   * inline XBRL on www.sec.gov, see `filingDocumentUrl`) and splitting it into items is not done
   * here. Fiscal year and quarter follow SEC's `fiscalYearEnd` for the company, or the profile's
   * when SEC has none. A CIK unknown to EDGAR throws NotFoundError (a universe error worth seeing).
   */
  async filings(company: CompanyProfile, asOf: IsoDate): Promise<FilingDocument[]> {
    const submissions: Submissions = await this.client.submissions(company.cik);
    const fiscalYearEndMonth = fiscalYearEndMonthOf(submissions.fiscalYearEnd) ?? company.fiscalYearEndMonth;
    return selectReportFilings(submissions.filings, asOf).map((filing) => {
      const { fiscalYear, quarter } = fiscalPositionOf(filing.reportDate, fiscalYearEndMonth);
      const form = filing.form === '10-K' ? '10-K' : '10-Q';
      const fiscalPeriod = form === '10-K' ? 'FY' : (`Q${quarter}` as const);
      return {
        docId: filing.accessionNumber,
        ticker: company.ticker,
        form,
        filed: filing.filingDate,
        periodEnd: filing.reportDate,
        fiscalYear,
        fiscalPeriod,
        title: `${company.name} ${form} for fiscal ${fiscalYear}${form === '10-K' ? '' : ` ${fiscalPeriod}`} (period ended ${filing.reportDate})`,
        sections: [],
      };
    });
  }
}
