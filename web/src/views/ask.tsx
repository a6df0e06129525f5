/**
 * Ask a question about one stock or several. The answer shows its citations as a brief does, its
 * flags, latency and cost, and the compliance text; follow-ups continue the session. Session ids
 * are remembered per FA in this browser; the API shows an FA only their own sessions.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, ms, pct, usd } from '../api';
import type { SignedIn } from '../api';
import type { Answer, SessionView } from '../types';
import { CitationButtons, CitationPanel } from './citation';

const sessionsKey = (faId: string) => `fa-console-sessions:${faId}`;

function rememberedSessions(faId: string): string[] {
  try {
    return JSON.parse(localStorage.getItem(sessionsKey(faId)) ?? '[]') as string[];
  } catch {
    return [];
  }
}

export function Ask(props: { who: SignedIn; sessionId?: string }) {
  const [question, setQuestion] = useState('');
  const [tickers, setTickers] = useState('');
  const [depth, setDepth] = useState<'auto' | 'simple' | 'deep'>('auto');
  const [sessionId, setSessionId] = useState<string | undefined>(props.sessionId);
  const [answers, setAnswers] = useState<Answer[]>([]);
  const [history, setHistory] = useState<SessionView>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [open, setOpen] = useState<{ answer: number; n: number }>();
  const sessions = rememberedSessions(props.who.faId);

  useEffect(() => {
    setSessionId(props.sessionId);
    setAnswers([]);
    if (!props.sessionId) return setHistory(undefined);
    api<SessionView>(props.who, `/v1/sessions/${encodeURIComponent(props.sessionId)}`)
      .then(setHistory)
      .catch((e: Error) => setError(e.message));
  }, [props.sessionId]);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError('');
    try {
      const list = tickers
        .split(/[\s,]+/)
        .map((t) => t.trim().toUpperCase())
        .filter(Boolean);
      const answer = await api<Answer>(props.who, '/v1/query', {
        method: 'POST',
        body: { question, ...(list.length > 0 ? { tickers: list } : {}), ...(sessionId ? { sessionId } : {}), depth },
      });
      setAnswers((a) => [...a, answer]);
      setSessionId(answer.sessionId);
      const known = rememberedSessions(props.who.faId).filter((s) => s !== answer.sessionId);
      localStorage.setItem(sessionsKey(props.who.faId), JSON.stringify([answer.sessionId, ...known].slice(0, 20)));
      setQuestion('');
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="ask-title" class="ask">
      <h2 id="ask-title">Ask about stocks</h2>
      {history && history.turns.length > 0 ? (
        <details class="history" open>
          <summary>Earlier in this conversation ({history.turns.length})</summary>
          <ol>
            {history.turns.map((t) => (
              <li>
                <strong>{t.question}</strong>
                <p>{t.answer}</p>
              </li>
            ))}
          </ol>
        </details>
      ) : null}
      {answers.map((a, i) => (
        <article class="answer" data-testid="answer" aria-label={`answer to: ${a.question}`}>
          <p class="question">
            <strong>Q:</strong> {a.question}
          </p>
          <div class="brief-body">
            <p>
              {a.sentences.map((s) => (
                <span class="sentence">
                  {s.text}{' '}
                  <CitationButtons
                    numbers={s.citations}
                    onOpen={(n) => setOpen({ answer: i, n })}
                    open={open?.answer === i ? open.n : undefined}
                  />{' '}
                </span>
              ))}
            </p>
            <CitationPanel
              citation={open?.answer === i ? a.citations.find((c) => c.n === open.n) : undefined}
              onClose={() => setOpen(undefined)}
            />
          </div>
          <div class="badges">
            <span class="badge">
              confidence {a.confidenceLabel} ({pct(a.confidence)})
            </span>
            <span class="badge">{a.depth}</span>
            <span class="badge">as of {a.asOf}</span>
            <span class="badge" data-testid="latency">
              {ms(a.latency.totalMs)} (model {ms(a.latency.llmMs)})
            </span>
            <span class="badge" data-testid="cost">
              {usd(a.cost.usd)}
              {a.cost.estimated ? ' (estimated)' : ''}
              {a.cache.hit ? ' · from cache' : ''}
            </span>
            {a.guardrails.output.removedSentences > 0 ? (
              <span class="badge warn">{a.guardrails.output.removedSentences} sentences removed</span>
            ) : null}
            {a.risk?.decision === 'hedge' ? <span class="badge warn">hedged</span> : null}
            {a.flags.includes('model_unavailable') || a.flags.includes('facts_only_fallback') ? (
              <span class="badge warn">model degraded</span>
            ) : null}
          </div>
          {a.flags.length > 0 ? (
            <p class="flags" data-testid="flags">
              Flags:{' '}
              {a.flags.map((f) => (
                <code>{f}</code>
              ))}
            </p>
          ) : null}
          <p class="disclaimer" data-testid="disclaimer">
            {a.disclaimer}
          </p>
        </article>
      ))}
      <form onSubmit={submit} class="ask-form">
        <label for="ask-tickers">Stocks (symbols, comma separated; optional if the question names them)</label>
        <input id="ask-tickers" value={tickers} onInput={(e) => setTickers((e.target as HTMLInputElement).value)} autocomplete="off" />
        <label for="ask-question">{sessionId ? 'Follow-up question' : 'Question'}</label>
        <textarea
          id="ask-question"
          required
          maxLength={2000}
          rows={3}
          value={question}
          onInput={(e) => setQuestion((e.target as HTMLTextAreaElement).value)}
        />
        <label for="ask-depth">Depth</label>
        <select id="ask-depth" value={depth} onChange={(e) => setDepth((e.target as HTMLSelectElement).value as typeof depth)}>
          <option value="auto">auto</option>
          <option value="simple">simple</option>
          <option value="deep">deep</option>
        </select>
        <div class="row">
          <button type="submit" disabled={busy}>
            {busy ? 'Asking…' : 'Ask'}
          </button>
          {sessionId ? (
            <a class="button-link" href="#/ask">
              New conversation
            </a>
          ) : null}
        </div>
        {error ? (
          <p role="alert" class="error">
            {error}
          </p>
        ) : null}
      </form>
      {sessions.length > 0 ? (
        <nav aria-label="your conversations" class="sessions">
          <h3>Your conversations</h3>
          <ul>
            {sessions.map((s) => (
              <li>
                <a href={`#/ask/${s}`} aria-current={s === sessionId ? 'page' : undefined}>
                  {s.slice(0, 8)}…
                </a>
              </li>
            ))}
          </ul>
        </nav>
      ) : null}
    </section>
  );
}
