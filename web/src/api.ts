/**
 * The console's view of the API: who is signed in (a dev key locally, Cognito tokens in AWS) and
 * one `api` call that sends their credentials and turns an error body into one readable line.
 */
import type { CognitoConfig, Tokens } from './auth/pkce';

export type SiteConfig = { stage: string; apiBase?: string; auth: { mode: 'dev' } | { mode: 'none' } | CognitoConfig };

export interface SignedIn {
  faId: string;
  operator: boolean;
  apiKey?: string;
  tokens?: Tokens;
}

const SESSION_KEY = 'fa-console-session';

export function loadSignedIn(): SignedIn | undefined {
  try {
    const raw = sessionStorage.getItem(SESSION_KEY);
    return raw ? (JSON.parse(raw) as SignedIn) : undefined;
  } catch {
    return undefined;
  }
}

export function saveSignedIn(who: SignedIn | undefined): void {
  if (who) sessionStorage.setItem(SESSION_KEY, JSON.stringify(who));
  else sessionStorage.removeItem(SESSION_KEY);
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

let apiBase = '';
export function setApiBase(base: string | undefined): void {
  apiBase = (base ?? '').replace(/\/$/, '');
}

export async function api<T>(who: SignedIn, path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (who.apiKey) headers['x-api-key'] = who.apiKey;
  if (who.tokens) headers.authorization = who.tokens.idToken;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${apiBase}${path}`, {
    method: init.method ?? 'GET',
    headers,
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const body = (await response.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
  if (!response.ok) throw new ApiError(response.status, body.error?.code ?? 'error', body.error?.message ?? `HTTP ${response.status}`);
  return body as T;
}

export const usd = (v: number, digits = 4) => `$${v.toFixed(digits)}`;
export const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
export const ms = (v: number) => (v >= 1000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`);

/** Today and 30 days before, as YYYY-MM-DD (UTC), the dashboard's default range. */
export function defaultRange(now = Date.now()): { from: string; to: string } {
  const day = (t: number) => new Date(t).toISOString().slice(0, 10);
  return { from: day(now - 30 * 86_400_000), to: day(now) };
}
