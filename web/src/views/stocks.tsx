/** Find a stock by symbol or name, and read its brief (hook / medium / expanded) with clickable citations. */
import { useEffect, useState } from 'preact/hooks';
import { api, pct } from '../api';
import type { SignedIn } from '../api';
import type { Brief } from '../types';
import { CitationButtons, CitationPanel } from './citation';

interface Match {
  ticker: string;
  name: string;
  sector: string;
}

export function StockSearch(props: { who: SignedIn }) {
  const [q, setQ] = useState('');
  const [results, setResults] = useState<Match[]>([]);
  const [error, setError] = useState('');
  useEffect(() => {
    if (q.trim() === '') return setResults([]);
    const timer = setTimeout(() => {
      api<{ results: Match[] }>(props.who, `/v1/stocks?q=${encodeURIComponent(q.trim())}&limit=12`)
        .then((r) => {
          setResults(r.results);
          setError('');
        })
        .catch((e: Error) => setError(e.message));
    }, 150);
    return () => clearTimeout(timer);
  }, [q]);
  return (
    <section aria-labelledby="find">
      <h2 id="find">Find a stock</h2>
      <label for="stock-search">Symbol or company name</label>
      <input id="stock-search" type="search" value={q} onInput={(e) => setQ((e.target as HTMLInputElement).value)} autocomplete="off" />
      {error ? (
        <p role="alert" class="error">
          {error}
        </p>
      ) : null}
      <ul class="results" aria-live="polite">
        {results.map((r) => (
          <li>
            <a href={`#/stock/${r.ticker}`} data-testid="stock-result">
              <strong>{r.ticker}</strong> {r.name} <span class="muted">· {r.sector}</span>
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}

const SECTION_NAMES: Record<string, string> = {
  overview: 'Overview',
  recent_results: 'Recent results',
  valuation_and_estimates: 'Valuation and estimates',
  analyst_view: 'Analyst view',
  risks: 'Risks',
  catalysts: 'Catalysts',
};

export function BriefView(props: { who: SignedIn; ticker: string }) {
  const [length, setLength] = useState<Brief['length']>('medium');
  const [brief, setBrief] = useState<Brief>();
  const [error, setError] = useState('');
  const [open, setOpen] = useState<number>();
  useEffect(() => {
    setOpen(undefined);
    api<Brief>(props.who, `/v1/stocks/${encodeURIComponent(props.ticker)}/summary?length=${length}`)
      .then((b) => {
        setBrief(b);
        setError('');
      })
      .catch((e: Error) => setError(e.message));
  }, [props.ticker, length]);
  if (error)
    return (
      <p role="alert" class="error">
        {error}
      </p>
    );
  if (!brief) return <p aria-busy="true">Loading the brief…</p>;
  const f = brief.freshness;
  return (
    <article class="brief" aria-labelledby="brief-title">
      <h2 id="brief-title">
        {brief.companyName} <span class="muted">({brief.ticker})</span>
      </h2>
      <div class="badges">
        <span class={`badge status-${brief.status}`}>{brief.status.replace('_', '-')}</span>
        <span class="badge">as of {brief.asOf}</span>
        <span class={`badge ${f.stale ? 'warn' : ''}`} data-testid="staleness">
          {f.stale ? `stale: ${f.ageDays} days old` : f.ageDays === 0 ? 'fresh today' : `${f.ageDays} days old`}
        </span>
        <span class="badge">confidence {pct(brief.confidence)}</span>
        <span class="badge">
          {brief.verification.claimsChecked} claims checked, {brief.verification.findings} findings
          {brief.verification.risk ? `, risk ${brief.verification.risk.score.toFixed(2)} (${brief.verification.risk.decision})` : ''}
        </span>
      </div>
      {f.missingSources.length > 0 || f.staleSources.length > 0 ? (
        <p class="warn-box" data-testid="missing-sources">
          {f.missingSources.length > 0 ? `Missing sources: ${f.missingSources.join('; ')}. ` : ''}
          {f.staleSources.length > 0 ? `Stale sources: ${f.staleSources.map((s) => `${s.source} (newest ${s.newest})`).join(', ')}.` : ''}
        </p>
      ) : (
        <p class="muted">Every source was available when this brief was written.</p>
      )}
      <div role="group" aria-label="brief length" class="tabs">
        {(['hook', 'medium', 'expanded'] as const).map((l) => (
          <button type="button" aria-pressed={length === l} onClick={() => setLength(l)}>
            {l}
          </button>
        ))}
      </div>
      <div class="brief-body">
        <div>
          {brief.sections.map((s) => (
            <section>
              <h3>{SECTION_NAMES[s.section] ?? s.section}</h3>
              <p>
                {s.sentences.map((sentence) => (
                  <span class={`sentence ${sentence.status}`} data-status={sentence.status}>
                    {sentence.text}{' '}
                    {sentence.status === 'hedged' ? (
                      <span class="flag" title="worded with a hedge, or only weakly supported by the sources">
                        hedged
                      </span>
                    ) : null}
                    <CitationButtons numbers={sentence.citations} onOpen={setOpen} open={open} />{' '}
                  </span>
                ))}
              </p>
            </section>
          ))}
          {brief.removed.length > 0 ? (
            <section class="removed">
              <h3>Removed by the verifier</h3>
              <ul>
                {brief.removed.map((r) => (
                  <li>
                    <span class="flag removed-flag">removed</span> <s>{r.sentence}</s> <span class="muted">({r.reason})</span>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          <p class="muted small">
            Written by {brief.modelId} at {brief.generatedAt}. For financial advisors: not investment advice.
          </p>
        </div>
        <CitationPanel citation={brief.citations.find((c) => c.n === open)} onClose={() => setOpen(undefined)} />
      </div>
    </article>
  );
}
