/** Citation markers and the panel that opens the cited passage or fact with its source, period, date and filing. */
import type { Citation } from '../types';

export function CitationButtons(props: { numbers: number[]; onOpen: (n: number) => void; open?: number }) {
  return (
    <>
      {props.numbers.map((n) => (
        <button
          type="button"
          class="cite"
          aria-label={`open citation ${n}`}
          aria-pressed={props.open === n}
          onClick={() => props.onOpen(n)}
        >
          [{n}]
        </button>
      ))}
    </>
  );
}

const number = (value: number, unit: string) =>
  unit === 'USD' ? `$${value.toLocaleString('en-US')}` : unit === 'percent' ? `${value}%` : `${value.toLocaleString('en-US')} ${unit}`;

export function CitationPanel(props: { citation?: Citation; onClose: () => void }) {
  const c = props.citation;
  if (!c) return null;
  return (
    <aside class="citation-panel" aria-label={`citation ${c.n}`} data-testid="citation-panel">
      <header>
        <h3>
          [{c.n}] {c.title}
        </h3>
        <button type="button" onClick={props.onClose} aria-label="close the citation">
          Close
        </button>
      </header>
      <dl class="meta">
        <dt>Source</dt>
        <dd>{c.kind}</dd>
        <dt>Date</dt>
        <dd>{c.date}</dd>
        {c.form ? (
          <>
            <dt>Form</dt>
            <dd>{c.form}</dd>
          </>
        ) : null}
        {c.accession ? (
          <>
            <dt>Accession</dt>
            <dd>
              {c.url ? (
                <a href={c.url} target="_blank" rel="noopener noreferrer">
                  {c.accession} on EDGAR
                </a>
              ) : (
                <span>{c.accession}</span>
              )}
            </dd>
          </>
        ) : (
          <>
            <dt>Document</dt>
            <dd>{c.sourceId}</dd>
          </>
        )}
      </dl>
      {c.passage || c.quote ? (
        <blockquote class="passage" data-testid="citation-passage">
          {c.passage ?? c.quote}
        </blockquote>
      ) : null}
      {c.facts && c.facts.length > 0 ? (
        <table class="facts">
          <caption>Facts taken from this source</caption>
          <thead>
            <tr>
              <th scope="col">metric</th>
              <th scope="col">value</th>
              <th scope="col">period</th>
              <th scope="col">filed</th>
            </tr>
          </thead>
          <tbody>
            {c.facts.map((f) => (
              <tr>
                <td>{f.metric.replace(/_/g, ' ')}</td>
                <td class="num">{number(f.value, f.unit)}</td>
                <td>{f.period}</td>
                <td>{f.filed}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </aside>
  );
}
