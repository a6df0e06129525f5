/** The operator's dashboard: runs in a date range (and one run's failures and timings), cost, quality. */
import { useEffect, useState } from 'preact/hooks';
import { api, defaultRange, ms, pct, usd } from '../api';
import type { SignedIn } from '../api';
import type { CostOverview, QualityOverview, RunDetail, RunRow } from '../types';
import { LineChart, PALETTE, StackedBars } from '../charts';

type Range = { from: string; to: string };

function RangePicker(props: { range: Range; onChange: (r: Range) => void; id: string }) {
  const [from, setFrom] = useState(props.range.from);
  const [to, setTo] = useState(props.range.to);
  return (
    <form
      class="range"
      onSubmit={(e) => {
        e.preventDefault();
        props.onChange({ from, to });
      }}
    >
      <label for={`${props.id}-from`}>From</label>
      <input id={`${props.id}-from`} type="date" value={from} onInput={(e) => setFrom((e.target as HTMLInputElement).value)} required />
      <label for={`${props.id}-to`}>To</label>
      <input id={`${props.id}-to`} type="date" value={to} onInput={(e) => setTo((e.target as HTMLInputElement).value)} required />
      <button type="submit">Show</button>
    </form>
  );
}

function useRange(): [Range, (r: Range) => void] {
  const params = new URLSearchParams(location.hash.split('?')[1] ?? '');
  const initial = {
    ...defaultRange(),
    ...(params.get('from') ? { from: params.get('from')! } : {}),
    ...(params.get('to') ? { to: params.get('to')! } : {}),
  };
  const [range, setRange] = useState<Range>(initial);
  return [range, setRange];
}

function useLoad<T>(who: SignedIn, path: string | undefined): { data?: T; error: string } {
  const [data, setData] = useState<T>();
  const [error, setError] = useState('');
  useEffect(() => {
    if (!path) return;
    setData(undefined);
    api<T>(who, path)
      .then((d) => {
        setData(d);
        setError('');
      })
      .catch((e: Error) => setError(e.message));
  }, [path]);
  return { data, error };
}

export function Runs(props: { who: SignedIn }) {
  const [range, setRange] = useRange();
  const { data, error } = useLoad<{ runs: RunRow[] }>(props.who, `/v1/ops/runs?from=${range.from}&to=${range.to}`);
  return (
    <section aria-labelledby="runs-title">
      <h2 id="runs-title">Batch runs</h2>
      <RangePicker range={range} onChange={setRange} id="runs" />
      {error ? (
        <p role="alert" class="error">
          {error}
        </p>
      ) : null}
      {!data ? (
        <p aria-busy="true">Loading runs…</p>
      ) : data.runs.length === 0 ? (
        <p>No batch run has an as-of date in this range.</p>
      ) : (
        <div class="table-scroll">
          <table data-testid="runs-table">
            <caption>
              {data.runs.length} runs from {range.from} to {range.to}
            </caption>
            <thead>
              <tr>
                <th scope="col">as of</th>
                <th scope="col">run</th>
                <th scope="col">stocks</th>
                <th scope="col">succeeded</th>
                <th scope="col">regenerated</th>
                <th scope="col">facts-only</th>
                <th scope="col">failed</th>
                <th scope="col">duration</th>
                <th scope="col">cost</th>
                <th scope="col">embedding cache hits</th>
              </tr>
            </thead>
            <tbody>
              {data.runs.map((r) => (
                <tr class={r.failed > 0 ? 'has-failures' : ''}>
                  <td>{r.asOf}</td>
                  <td>
                    <a href={`#/ops/runs/${encodeURIComponent(r.runId)}`}>{r.runId}</a>
                    {r.status !== 'succeeded' ? <span class="badge warn">{r.status}</span> : null}
                  </td>
                  <td class="num">{r.stocks}</td>
                  <td class="num">{r.succeeded}</td>
                  <td class="num">{r.regenerated}</td>
                  <td class="num">{r.factsOnly}</td>
                  <td class="num">{r.failed}</td>
                  <td class="num">{ms(r.durationMs)}</td>
                  <td class="num">{usd(r.costUsd)}</td>
                  <td class="num">{pct(r.embeddingHitRate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function RunPage(props: { who: SignedIn; runId: string }) {
  const { data, error } = useLoad<RunDetail>(props.who, `/v1/ops/runs/${encodeURIComponent(props.runId)}`);
  if (error)
    return (
      <p role="alert" class="error">
        {error}
      </p>
    );
  if (!data) return <p aria-busy="true">Loading the run…</p>;
  const r = data.run;
  return (
    <section aria-labelledby="run-title">
      <p>
        <a href="#/ops/runs">← all runs</a>
      </p>
      <h2 id="run-title">Run {r.runId}</h2>
      <div class="badges">
        <span class="badge">as of {r.asOf}</span>
        <span class="badge">{r.status}</span>
        <span class="badge">
          {r.succeeded}/{r.stocks} succeeded
        </span>
        <span class="badge">{usd(r.costUsd)}</span>
        <span class="badge">{ms(r.durationMs)}</span>
        <span class="badge">
          per stock p50 {ms(data.timings.p50Ms)}, p95 {ms(data.timings.p95Ms)}, max {ms(data.timings.maxMs)}
        </span>
      </div>
      <h3>Failed stocks ({data.failed.length})</h3>
      {data.failed.length === 0 ? (
        <p>No stock failed in this run.</p>
      ) : (
        <table data-testid="failed-stocks">
          <thead>
            <tr>
              <th scope="col">ticker</th>
              <th scope="col">error</th>
              <th scope="col">time</th>
              <th scope="col">completed</th>
            </tr>
          </thead>
          <tbody>
            {data.failed.map((f) => (
              <tr>
                <th scope="row">{f.ticker}</th>
                <td class="error-text">{f.error}</td>
                <td class="num">{ms(f.durationMs)}</td>
                <td>{f.completedAt}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data.missing.length > 0 ? <p class="warn-box">No outcome recorded for: {data.missing.join(', ')}</p> : null}
      <h3>Per-stock timings (slowest first)</h3>
      <div class="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">ticker</th>
              <th scope="col">status</th>
              <th scope="col">time</th>
              <th scope="col">cost</th>
              <th scope="col">missing sources</th>
            </tr>
          </thead>
          <tbody>
            {data.stocks.map((s) => (
              <tr>
                <th scope="row">{s.ticker}</th>
                <td>{s.status}</td>
                <td class="num">{ms(s.durationMs)}</td>
                <td class="num">{usd(s.costUsd)}</td>
                <td>{s.sourceFailures.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function BurnMeter(props: { label: string; burn: CostOverview['burn']['day'] }) {
  const share = props.burn.share;
  return (
    <div class="burn">
      <label for={`burn-${props.label}`}>
        {props.label} {props.burn.period}: {usd(props.burn.spentUsd, 2)}
        {props.burn.budgetUsd ? ` of ${usd(props.burn.budgetUsd, 0)} (${pct(share ?? 0)})` : ' (no budget set)'}
      </label>
      <meter id={`burn-${props.label}`} min={0} max={1} high={0.8} optimum={0.2} value={Math.min(1, share ?? 0)} />
    </div>
  );
}

export function Cost(props: { who: SignedIn }) {
  const [range, setRange] = useRange();
  const { data, error } = useLoad<CostOverview>(props.who, `/v1/ops/cost?from=${range.from}&to=${range.to}`);
  return (
    <section aria-labelledby="cost-title">
      <h2 id="cost-title">Cost</h2>
      <RangePicker range={range} onChange={setRange} id="cost" />
      {error ? (
        <p role="alert" class="error">
          {error}
        </p>
      ) : null}
      {!data ? (
        <p aria-busy="true">Loading cost…</p>
      ) : (
        <>
          <p>
            {usd(data.totalUsd, 2)} in this range. Targets: {usd(data.targets.stockUsd, 2)} a stock-night (cap{' '}
            {usd(data.targets.stockCapUsd, 2)}), {usd(data.targets.queryUsd, 3)} a query (cap {usd(data.targets.queryCapUsd, 2)})
            {data.baseline ? `; naive baseline ${usd(data.baseline.naiveStockUsd)} a stock-night (${data.baseline.measured})` : ''}.
          </p>
          <div class="burns">
            <BurnMeter label="Day" burn={data.burn.day} />
            <BurnMeter label="Month" burn={data.burn.month} />
          </div>
          <div class="charts">
            <LineChart
              testId="chart-stock-night"
              title="Cost per stock-night"
              labels={data.stockNights.map((p) => p.date)}
              format={(v) => usd(v)}
              series={[
                { label: 'per stock', values: data.stockNights.map((p) => p.perUnitUsd), color: PALETTE[0]! },
                { label: 'target', values: data.stockNights.map(() => data.targets.stockUsd), color: PALETTE[2]!, dash: [6, 4] },
                ...(data.baseline
                  ? [
                      {
                        label: 'naive baseline',
                        values: data.stockNights.map(() => data.baseline!.naiveStockUsd),
                        color: PALETTE[1]!,
                        dash: [2, 3],
                      },
                    ]
                  : []),
              ]}
            />
            <LineChart
              testId="chart-query"
              title="Cost per query"
              labels={data.queries.map((p) => p.date)}
              format={(v) => usd(v)}
              series={[
                { label: 'per query', values: data.queries.map((p) => p.perUnitUsd), color: PALETTE[0]! },
                { label: 'target', values: data.queries.map(() => data.targets.queryUsd), color: PALETTE[2]!, dash: [6, 4] },
              ]}
            />
            <StackedBars
              testId="chart-agent"
              title="Cost by agent"
              bars={data.byAgent.map((b) => ({ label: b.date, parts: b.parts }))}
              keys={data.agents}
              format={(v) => usd(v, 3)}
            />
            <StackedBars
              testId="chart-model"
              title="Cost by model"
              bars={data.byModel.map((b) => ({ label: b.date, parts: b.parts }))}
              keys={data.models}
              format={(v) => usd(v, 3)}
            />
          </div>
        </>
      )}
    </section>
  );
}

export function Quality(props: { who: SignedIn }) {
  const [range, setRange] = useRange();
  const { data, error } = useLoad<QualityOverview>(props.who, `/v1/ops/quality?from=${range.from}&to=${range.to}`);
  return (
    <section aria-labelledby="quality-title">
      <h2 id="quality-title">Quality</h2>
      <RangePicker range={range} onChange={setRange} id="quality" />
      {error ? (
        <p role="alert" class="error">
          {error}
        </p>
      ) : null}
      {!data ? (
        <p aria-busy="true">Loading quality…</p>
      ) : (
        <>
          <div class="charts">
            <LineChart
              testId="chart-pass-rate"
              title="Verification pass rate"
              labels={data.runs.map((r) => r.date)}
              format={(v) => pct(v)}
              series={[{ label: 'pass rate', values: data.runs.map((r) => r.passRate), color: PALETTE[0]! }]}
            />
            <LineChart
              testId="chart-flags"
              title="Hallucination flags (briefs regenerated or facts-only)"
              labels={data.runs.map((r) => r.date)}
              format={(v) => String(Math.round(v))}
              series={[
                { label: 'regenerated', values: data.runs.map((r) => r.regenerated), color: PALETTE[1]! },
                { label: 'facts-only', values: data.runs.map((r) => r.factsOnly), color: PALETTE[4]! },
              ]}
            />
          </div>
          <h3>Latest evaluation</h3>
          {data.evaluation ? (
            <p data-testid="evaluation">
              <span class={`badge ${data.evaluation.pass ? 'ok' : 'warn'}`}>{data.evaluation.pass ? 'PASS' : 'FAIL'}</span>{' '}
              {data.evaluation.startedAt} on {data.evaluation.llm}, {data.evaluation.seconds} s:{' '}
              {data.evaluation.suites.map((s) => `${s.name} ${s.pass ? 'passed' : 'failed'}`).join(', ')}
            </p>
          ) : (
            <p>No evaluation report here yet (npm run eval writes one).</p>
          )}
          <h3>Experiments</h3>
          {data.experiments.length === 0 ? (
            <p>No experiments are defined.</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">experiment</th>
                  <th scope="col">status</th>
                  <th scope="col">arms (weight, first exposures)</th>
                </tr>
              </thead>
              <tbody>
                {data.experiments.map((e) => (
                  <tr>
                    <th scope="row">{e.key}</th>
                    <td>{e.status}</td>
                    <td>{e.arms.map((a) => `${a.key} ${pct(a.weight)} (${a.exposures})`).join(' · ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
