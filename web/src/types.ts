/** Response shapes of the routes the console reads (docs/openapi.json is the contract). */
export interface Citation {
  n: number;
  sourceId: string;
  kind: string;
  title: string;
  date: string;
  ticker?: string;
  quote?: string;
  form?: string;
  accession?: string;
  url?: string;
  passage?: string;
  facts?: Array<{ metric: string; value: number; unit: string; period: string; filed: string }>;
}
export interface Brief {
  ticker: string;
  companyName: string;
  sector: string;
  asOf: string;
  length: 'hook' | 'medium' | 'expanded';
  status: 'verified' | 'regenerated' | 'facts_only';
  confidence: number;
  sections: Array<{ section: string; sentences: Array<{ text: string; citations: number[]; status: 'supported' | 'hedged' }> }>;
  citations: Citation[];
  verification: { passed: boolean; claimsChecked: number; findings: number; risk?: { score: number; decision: string } };
  removed: Array<{ section: string; sentence: string; reason: string }>;
  freshness: { ageDays: number; stale: boolean; missingSources: string[]; staleSources: Array<{ source: string; newest: string }> };
  modelId: string;
  generatedAt: string;
}
export interface Answer {
  requestId: string;
  sessionId: string;
  question: string;
  answer: string;
  sentences: Array<{ text: string; citations: number[] }>;
  citations: Citation[];
  tickers: string[];
  depth: string;
  confidence: number;
  confidenceLabel: string;
  flags: string[];
  risk?: { score: number; decision: string };
  disclaimer: string;
  asOf: string;
  cache: { hit: boolean };
  cost: { usd: number; estimated: boolean };
  latency: { totalMs: number; llmMs: number };
  guardrails: { output: { removedSentences: number } };
}
export interface SessionView {
  sessionId: string;
  turns: Array<{ turnId: string; question: string; answer: string; tickers: string[]; createdAt: string }>;
}
export interface RunRow {
  runId: string;
  asOf: string;
  status: string;
  startedAt: string;
  stocks: number;
  succeeded: number;
  regenerated: number;
  factsOnly: number;
  failed: number;
  skippedUnchanged: number;
  durationMs: number;
  costUsd: number;
  embeddingHitRate: number;
  verificationPassRate: number;
}
export interface RunDetail {
  run: RunRow;
  failed: Array<{ ticker: string; error: string; durationMs: number; completedAt: string }>;
  missing: string[];
  stocks: Array<{ ticker: string; status: string; durationMs: number; costUsd: number; sourceFailures: string[]; error?: string }>;
  timings: { p50Ms: number; p95Ms: number; maxMs: number };
}
export interface CostPoint {
  date: string;
  runId: string;
  perUnitUsd: number;
  units: number;
  totalUsd: number;
}
export interface StackedBar {
  date: string;
  runId: string;
  parts: Record<string, number>;
}
export interface Burn {
  period: string;
  spentUsd: number;
  budgetUsd?: number;
  share?: number;
}
export interface CostOverview {
  range: { from: string; to: string };
  targets: { stockUsd: number; stockCapUsd: number; queryUsd: number; queryCapUsd: number };
  baseline?: { naiveStockUsd: number; measured: string };
  stockNights: CostPoint[];
  queries: CostPoint[];
  byAgent: StackedBar[];
  byModel: StackedBar[];
  agents: string[];
  models: string[];
  burn: { day: Burn; month: Burn };
  totalUsd: number;
}
export interface QualityOverview {
  runs: Array<{
    date: string;
    runId: string;
    stocks: number;
    passRate: number;
    flagged: number;
    regenerated: number;
    factsOnly: number;
    findings: number;
  }>;
  evaluation?: { pass: boolean; startedAt: string; llm: string; seconds: number; suites: Array<{ name: string; pass: boolean }> };
  experiments: Array<{ key: string; status: string; arms: Array<{ key: string; weight: number; exposures: number }> }>;
}
