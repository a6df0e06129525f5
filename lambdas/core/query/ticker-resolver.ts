/**
 * Ticker resolution: which covered stocks a question is about, from symbols ("KQRV", "$kqrv",
 * "KQRV's") and company names, exact or misspelt ("Kelorix", "Kelorixx Instruments").
 *
 * Names are matched on their distinctive words: a word that appears in one company name of the
 * universe ("Kelorix"), never the shared ones ("Instruments", "Energy", "Inc."), which only break ties. A misspelt
 * word matches within a small edit distance (optimal string alignment: insertions, deletions,
 * substitutions and transpositions), one edit for short words and two for long ones, and only words
 * that are not everyday English or finance vocabulary are tried, so "margin" never becomes a company.
 *
 * Pure: built once per process from the universe, then read-only.
 */
import type { CompanyProfile } from '../model';

export interface ResolvedTicker {
  ticker: string;
  name: string;
  via: 'symbol' | 'name' | 'fuzzy_name';
  /** Where in the question the mention starts (for ordering). */
  position: number;
}

const NAME_FILLERS = new Set([
  'inc',
  'corp',
  'corporation',
  'co',
  'company',
  'companies',
  'holdings',
  'holding',
  'group',
  'plc',
  'ltd',
  'limited',
  'llc',
  'lp',
  'the',
  'and',
  'of',
  'sa',
  'ag',
  'nv',
]);

/** All-caps words that are not tickers unless written with a `$`. */
const CAPS_WORDS = new Set(
  'A I AN AND OR THE IT US USA UK EU CEO CFO COO CTO EPS PE ETF IPO AI GDP SEC FY YOY QOQ TTM NTM EBIT EBITDA FCF ROE ROA ROI ROIC NII NIM OK API FAQ USD EUR M&A R&D ESG GAAP LTM BPS DCF EV PEG NAV AUM CAGR KPI SG&A IRA HSA FA FAS VS TL;DR ASAP FYI PDF'.split(
    ' ',
  ),
);

/** Everyday words that must never be read as a misspelt company name. */
const COMMON_WORDS = new Set(
  'about above after again against along also although always among another answer anything around asked because before behind being below between beyond both bring brought build business called cannot change clear close company compare compared comparison could country course current daily debate decline decrease deliver demand despite details different doing doesn during early earnings either enough especially estimate estimates events every exactly expect expected explain factors falling fallen family fewer figure final financial first follow following forward further future gains given going great greater growing growth guidance happen happened having health higher highest however impact improve include including income increase industry inside instead interest investors issue issues itself keeping kind known large larger largest later latest leading least level likely little lower lowest major makes making management margin margins market markets matter maybe means might model money month months most moving much never newer newest news next normal notes number numbers offer often operating other others outlook overall party people percent period place plans point position possible power present pressure price prices pricing problem product products profit profits quarter quarterly question quick quite rather rating ratings really reason recent recently report reported reports results return returns revenue revenues right risks said sales same second sector segment seems selling share shares should since small smaller source sources speed spending start state still stock stocks story strong stronger summary supply table taken terms their there these thing things think third those though three through today total trend trends under until upside using value versus very was what when where whether which while whole why will within without would write year years yield yields'.split(
    ' ',
  ),
);

function nameWords(name: string): string[] {
  return name
    .toLowerCase()
    .replace(/[’']s\b/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0 && !NAME_FILLERS.has(word));
}

/** Optimal-string-alignment distance, giving up (returning max + 1) once it must exceed `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let previous2: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, previous2[j - 2]! + 1);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > max) return max + 1;
    previous2 = previous;
    previous = current;
  }
  return previous[b.length]!;
}

interface IndexedCompany {
  profile: CompanyProfile;
  words: Set<string>;
}

export class TickerResolver {
  private readonly byTicker = new Map<string, CompanyProfile>();
  private readonly companies: IndexedCompany[] = [];
  /** Distinctive name word → the company whose name contains it (a list, as fuzzy matches can tie). */
  private readonly byWord = new Map<string, number[]>();
  /** Distinctive words bucketed by length, for the fuzzy pass. */
  private readonly wordsByLength = new Map<number, string[]>();

  constructor(universe: readonly CompanyProfile[]) {
    const frequency = new Map<string, number>();
    for (const profile of universe) {
      this.byTicker.set(profile.ticker.toUpperCase(), profile);
      const words = new Set(nameWords(profile.name));
      this.companies.push({ profile, words });
      for (const word of words) frequency.set(word, (frequency.get(word) ?? 0) + 1);
    }
    this.companies.forEach(({ words }, index) => {
      for (const word of words) {
        // Only words unique to one name trigger a match; shared words ("Energy") only break ties.
        if (word.length < 3 || (frequency.get(word) ?? 0) > 1 || COMMON_WORDS.has(word)) continue;
        const list = this.byWord.get(word);
        if (list) list.push(index);
        else {
          this.byWord.set(word, [index]);
          const bucket = this.wordsByLength.get(word.length) ?? [];
          bucket.push(word);
          this.wordsByLength.set(word.length, bucket);
        }
      }
    });
  }

  get size(): number {
    return this.byTicker.size;
  }

  /**
   * Covered companies for a search box: an exact symbol first, then symbols starting with the text,
   * then names with a word starting with it, then names containing it; at most `limit`.
   */
  search(text: string, limit: number): CompanyProfile[] {
    const q = text.trim().toLowerCase();
    if (q === '') return [];
    const rank = (p: CompanyProfile): number => {
      const ticker = p.ticker.toLowerCase();
      const name = p.name.toLowerCase();
      if (ticker === q) return 0;
      if (ticker.startsWith(q)) return 1;
      if (name.startsWith(q)) return 2;
      if (name.split(/[^a-z0-9]+/).some((w) => w.startsWith(q))) return 3;
      if (name.includes(q)) return 4;
      return -1;
    };
    return this.companies
      .map(({ profile }) => ({ profile, rank: rank(profile) }))
      .filter((c) => c.rank >= 0)
      .sort((a, b) => a.rank - b.rank || a.profile.ticker.localeCompare(b.profile.ticker))
      .slice(0, limit)
      .map((c) => c.profile);
  }

  /** The covered company with this symbol (any case), or undefined. */
  get(ticker: string): CompanyProfile | undefined {
    return this.byTicker.get(ticker.toUpperCase());
  }

  /** The covered stocks a question mentions, in order of first mention, without duplicates. */
  resolve(question: string): ResolvedTicker[] {
    const found = new Map<string, ResolvedTicker>();
    const add = (profile: CompanyProfile, via: ResolvedTicker['via'], position: number) => {
      const existing = found.get(profile.ticker);
      if (!existing || existing.position > position)
        found.set(profile.ticker, { ticker: profile.ticker, name: profile.name, via, position });
    };
    this.symbols(question, add);
    this.names(question, add);
    return [...found.values()].sort((a, b) => a.position - b.position);
  }

  private symbols(question: string, add: (p: CompanyProfile, via: ResolvedTicker['via'], position: number) => void): void {
    for (const m of question.matchAll(/(\$)?\b([A-Za-z][A-Za-z0-9]{0,5}(?:[.\-][A-Za-z]{1,2})?)(?:[’']s)?\b/g)) {
      const [, dollar, token] = m;
      const profile = this.byTicker.get(token!.toUpperCase());
      if (!profile) continue;
      const upper = token === token!.toUpperCase();
      const accept =
        dollar !== undefined ||
        (upper && token!.length >= 2 && !CAPS_WORDS.has(token!)) ||
        // Lower-case symbols only when they cannot be a word: four or more letters, at most one vowel ("kqrv", not "cost").
        (token!.length >= 4 && (token!.match(/[aeiouy]/gi) ?? []).length <= 1 && !COMMON_WORDS.has(token!.toLowerCase()));
      if (accept) add(profile, 'symbol', m.index!);
    }
  }

  private names(question: string, add: (p: CompanyProfile, via: ResolvedTicker['via'], position: number) => void): void {
    const tokens = [...question.matchAll(/[\p{L}\p{N}]+(?:[’'][\p{L}]+)?/gu)].map((m) => ({
      word: m[0].toLowerCase().replace(/[’']s$/, ''),
      capitalised: /^\p{Lu}/u.test(m[0]),
      position: m.index!,
    }));
    const questionWords = new Set(tokens.map((t) => t.word));
    for (const token of tokens) {
      if (token.word.length < 3) continue;
      let via: ResolvedTicker['via'] = 'name';
      let matches = this.byWord.get(token.word);
      if (!matches && !COMMON_WORDS.has(token.word) && token.word.length >= 5 && !/\d/.test(token.word)) {
        // Long words may be two edits off; lower-case words only one, as they are more often ordinary words.
        const max = token.capitalised && token.word.length >= 8 ? 2 : 1;
        if (token.capitalised || token.word.length >= 6) {
          matches = this.fuzzy(token.word, max);
          via = 'fuzzy_name';
        }
      }
      if (!matches || matches.length === 0) continue;
      // Ambiguous word: prefer companies more of whose name words the question contains.
      const scored = matches.map((index) => ({
        index,
        score: [...this.companies[index]!.words].filter((w) => questionWords.has(w)).length,
      }));
      const best = Math.max(...scored.map((s) => s.score));
      for (const { index, score } of scored) if (score === best) add(this.companies[index]!.profile, via, token.position);
    }
  }

  /** Fuzzy lookups by (word, limit): questions repeat their words, and the universe never changes. */
  private readonly fuzzyMemo = new Map<string, number[] | undefined>();

  private fuzzy(word: string, max: number): number[] | undefined {
    const key = `${max}:${word}`;
    if (this.fuzzyMemo.has(key)) return this.fuzzyMemo.get(key);
    const found = this.fuzzySearch(word, max);
    if (this.fuzzyMemo.size >= 20_000) this.fuzzyMemo.clear();
    this.fuzzyMemo.set(key, found);
    return found;
  }

  private fuzzySearch(word: string, max: number): number[] | undefined {
    let bestDistance = max + 1;
    let best: number[] = [];
    for (let length = word.length - max; length <= word.length + max; length += 1) {
      for (const candidate of this.wordsByLength.get(length) ?? []) {
        const distance = editDistance(word, candidate, max);
        if (distance < bestDistance) {
          bestDistance = distance;
          best = [...this.byWord.get(candidate)!];
        } else if (distance === bestDistance && distance <= max) {
          best.push(...this.byWord.get(candidate)!);
        }
      }
    }
    return bestDistance <= max ? [...new Set(best)] : undefined;
  }
}
