/**
 * The filings port over real SEC EDGAR: XBRL company facts as they stood on the as-of date; the
 * latest annual report with the quarterly reports after it, from the company's submissions index,
 * with the text of their items; and the earnings press releases (8-K item 2.02, EX-99.1).
 */
import type { CompanyFactsJson, CompanyProfile, FilingDocument, FilingSection, IsoDate } from '../../../core/model';
import { describeError, NotFoundError } from '../../../core/errors';
import type { FilingsSource } from '../../../core/ports';
import { companyFactsFiledBy } from './companyfacts';
import { SEC_ARCHIVES_URL } from './edgar-client';
import type { EdgarClient } from './edgar-client';
import {
  archivePathOf,
  exhibit991Of,
  filingIndexPathOf,
  FilingTextError,
  pressReleaseSectionsOf,
  reportSectionsOf,
} from './filing-documents';
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

/**
 * The earnings releases that go with those reports: 8-Ks reporting item 2.02 (Results of
 * Operations and Financial Condition) filed after the period end of the latest 10-K (so the
 * release of that year's results is included, as it usually comes a day or more before the 10-K)
 * and on or before `asOf`; with no 10-K, those of the year before `asOf`. Oldest first, at most
 * the latest `max`. Amendments (8-K/A) are left out, as for the reports.
 */
export function selectResultsReleases(filings: readonly SubmissionFiling[], asOf: IsoDate, max = 4): SubmissionFiling[] {
  const reports = selectReportFilings(filings, asOf);
  const annual = reports.find((filing) => filing.form === '10-K');
  const after = annual ? annual.reportDate : `${Number(asOf.slice(0, 4)) - 1}${asOf.slice(4)}`;
  return filings
    .filter((filing) => filing.form === '8-K' && itemsOf(filing).includes('2.02'))
    .filter((filing) => filing.filingDate > after && filing.filingDate <= asOf)
    .sort((a, b) => (a.filingDate < b.filingDate ? -1 : a.filingDate > b.filingDate ? 1 : a.accessionNumber < b.accessionNumber ? -1 : 1))
    .slice(-max);
}

function itemsOf(filing: SubmissionFiling): string[] {
  return (filing.items ?? '').split(',').map((item) => item.trim());
}

/** Where a filing's primary document lives on www.sec.gov. */
export function filingDocumentUrl(cik: string, accessionNumber: string, primaryDocument: string): string {
  return `${SEC_ARCHIVES_URL}${archivePathOf(cik, accessionNumber, primaryDocument)}`;
}

/** A filing whose text could not be read: it is returned without sections (a 10-K or 10-Q) or left out (an 8-K). */
export interface FilingTextSkip {
  ticker: string;
  accessionNumber: string;
  form: string;
  /** One line naming the error, e.g. `NotFoundError: EDGAR has nothing at /Archives/… (HTTP 404)`. */
  reason: string;
}

export interface EdgarFilingsSourceBehaviour {
  /** Told for each filing whose text was skipped: wire a warning log and a metric here. */
  onFilingTextSkipped?: (skip: FilingTextSkip) => void;
}

type EdgarReader = Pick<EdgarClient, 'companyFacts' | 'submissions' | 'archiveText'>;

export class EdgarFilingsSource implements FilingsSource {
  private readonly onFilingTextSkipped: (skip: FilingTextSkip) => void;

  constructor(
    private readonly client: EdgarReader,
    behaviour: EdgarFilingsSourceBehaviour = {},
  ) {
    this.onFilingTextSkipped = behaviour.onFilingTextSkipped ?? (() => undefined);
  }

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
   * The latest 10-K and the 10-Qs after it, filed on or before `asOf`, each with the items of its
   * primary document as `sections` (10-K: 1, 1A, 7; 10-Q: 2, 1A), then the item 2.02 8-Ks after
   * that 10-K with their EX-99.1 press release as one section. A document that cannot be fetched
   * or read costs only that filing its text (`onFilingTextSkipped` is told why): a 10-K or 10-Q is
   * still returned without sections, since its XBRL facts cite it; an 8-K is left out, as its text
   * is all it brings. Fiscal year and quarter follow SEC's `fiscalYearEnd` for the company, or the
   * profile's when SEC has none. Only a failure of submissions itself fails the call; a CIK
   * unknown to EDGAR throws NotFoundError (a universe error worth seeing).
   */
  async filings(company: CompanyProfile, asOf: IsoDate): Promise<FilingDocument[]> {
    const submissions: Submissions = await this.client.submissions(company.cik);
    const fiscalYearEndMonth = fiscalYearEndMonthOf(submissions.fiscalYearEnd) ?? company.fiscalYearEndMonth;
    const reports = selectReportFilings(submissions.filings, asOf).map((filing) =>
      this.reportDocument(company, submissions.cik, filing, fiscalYearEndMonth),
    );
    const releases = selectResultsReleases(submissions.filings, asOf).map((filing) =>
      this.resultsReleaseDocument(company, submissions.cik, filing, fiscalYearEndMonth),
    );
    const documents = await Promise.all([...reports, ...releases]);
    return documents.filter((document): document is FilingDocument => document !== undefined);
  }

  private async reportDocument(
    company: CompanyProfile,
    cik: string,
    filing: SubmissionFiling,
    fiscalYearEndMonth: number,
  ): Promise<FilingDocument> {
    const { fiscalYear, quarter } = fiscalPositionOf(filing.reportDate, fiscalYearEndMonth);
    const form = filing.form === '10-K' ? '10-K' : '10-Q';
    const fiscalPeriod = form === '10-K' ? 'FY' : (`Q${quarter}` as const);
    const sections = await this.readSections(company, filing, async () => {
      if (filing.primaryDocument === '') throw new FilingTextError('submissions name no primary document');
      return reportSectionsOf(await this.client.archiveText(archivePathOf(cik, filing.accessionNumber, filing.primaryDocument)), form);
    });
    return {
      docId: filing.accessionNumber,
      ticker: company.ticker,
      form,
      filed: filing.filingDate,
      periodEnd: filing.reportDate,
      fiscalYear,
      fiscalPeriod,
      title: `${company.name} ${form} for fiscal ${fiscalYear}${form === '10-K' ? '' : ` ${fiscalPeriod}`} (period ended ${filing.reportDate})`,
      sections: sections ?? [],
    };
  }

  /**
   * An 8-K's `reportDate` is the date of the event (the release), so the results it reports are
   * those of the fiscal quarter before the one that date falls in.
   */
  private async resultsReleaseDocument(
    company: CompanyProfile,
    cik: string,
    filing: SubmissionFiling,
    fiscalYearEndMonth: number,
  ): Promise<FilingDocument | undefined> {
    const eventDate = filing.reportDate === '' ? filing.filingDate : filing.reportDate;
    const { fiscalYear, quarter } = previousQuarter(fiscalPositionOf(eventDate, fiscalYearEndMonth));
    const sections = await this.readSections(company, filing, async () => {
      const exhibit = exhibit991Of(await this.client.archiveText(filingIndexPathOf(cik, filing.accessionNumber)));
      if (exhibit === undefined) throw new FilingTextError('the filing index lists no EX-99.1 exhibit');
      return pressReleaseSectionsOf(await this.client.archiveText(archivePathOf(cik, filing.accessionNumber, exhibit)));
    });
    if (!sections) return undefined;
    return {
      docId: filing.accessionNumber,
      ticker: company.ticker,
      form: '8-K',
      filed: filing.filingDate,
      periodEnd: eventDate,
      fiscalYear,
      fiscalPeriod: `Q${quarter}`,
      title: `${company.name} 8-K results release for fiscal ${fiscalYear} Q${quarter} (filed ${filing.filingDate})`,
      sections,
    };
  }

  /** The sections `read` returns, or undefined after telling `onFilingTextSkipped` why it failed. */
  private async readSections(
    company: CompanyProfile,
    filing: SubmissionFiling,
    read: () => Promise<FilingSection[]>,
  ): Promise<FilingSection[] | undefined> {
    try {
      return await read();
    } catch (error) {
      const reason = describeError(error);
      this.onFilingTextSkipped({ ticker: company.ticker, accessionNumber: filing.accessionNumber, form: filing.form, reason });
      return undefined;
    }
  }
}

function previousQuarter(position: { fiscalYear: number; quarter: 1 | 2 | 3 | 4 }): { fiscalYear: number; quarter: 1 | 2 | 3 | 4 } {
  if (position.quarter === 1) return { fiscalYear: position.fiscalYear - 1, quarter: 4 };
  return { fiscalYear: position.fiscalYear, quarter: position.quarter === 2 ? 1 : position.quarter === 3 ? 2 : 3 };
}
