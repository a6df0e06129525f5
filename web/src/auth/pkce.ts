/**
 * Sign-in through the Cognito user pool's hosted UI with the authorization code flow and PKCE
 * (RFC 7636): the browser keeps a random verifier, sends its S256 challenge with the authorization
 * request, and proves it when it exchanges the code for tokens. No client secret exists in a
 * browser, so the app client has none (lib/constructs/web-console.ts). Pure functions over Web
 * Crypto and fetch, so they run (and are tested) in Node as in the browser.
 */

export interface CognitoConfig {
  mode: 'cognito';
  /** The hosted UI's base, e.g. https://fa-live.auth.us-east-1.amazoncognito.com */
  domain: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
}

export interface Tokens {
  idToken: string;
  accessToken: string;
  refreshToken?: string;
  expiresAt: number;
}

function base64url(bytes: Uint8Array): string {
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** A verifier of 43+ characters from the unreserved set (32 random bytes, base64url). */
export function randomVerifier(random: (bytes: Uint8Array<ArrayBuffer>) => Uint8Array = (b) => crypto.getRandomValues(b)): string {
  return base64url(random(new Uint8Array(32)));
}

/** The S256 code challenge of a verifier: base64url(SHA-256(verifier)). */
export async function challengeOf(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

export function authorizeUrl(config: CognitoConfig, request: { state: string; challenge: string }): string {
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    scope: config.scopes.join(' '),
    state: request.state,
    code_challenge: request.challenge,
    code_challenge_method: 'S256',
  });
  return `${config.domain.replace(/\/$/, '')}/oauth2/authorize?${params.toString()}`;
}

/** The code of a callback URL, refused when its state is not the one this browser sent. */
export function parseCallback(url: string, expectedState: string | null): { code: string } | { error: string } {
  const params = new URL(url).searchParams;
  const error = params.get('error');
  if (error) return { error: `sign-in failed: ${params.get('error_description') ?? error}` };
  const code = params.get('code');
  if (!code) return { error: 'the sign-in callback carries no code' };
  if (!expectedState || params.get('state') !== expectedState) return { error: 'the sign-in callback does not match this browser (state)' };
  return { code };
}

/** Exchange the authorization code and the verifier for tokens at the pool's token endpoint. */
export async function exchangeCode(
  config: CognitoConfig,
  code: string,
  verifier: string,
  fetchImpl: typeof fetch = fetch,
  now: () => number = Date.now,
): Promise<Tokens> {
  const response = await fetchImpl(`${config.domain.replace(/\/$/, '')}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: config.clientId,
      code,
      redirect_uri: config.redirectUri,
      code_verifier: verifier,
    }).toString(),
  });
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok || typeof body.id_token !== 'string' || typeof body.access_token !== 'string') {
    throw new Error(`the token exchange failed: ${typeof body.error === 'string' ? body.error : `HTTP ${response.status}`}`);
  }
  return {
    idToken: body.id_token,
    accessToken: body.access_token,
    ...(typeof body.refresh_token === 'string' ? { refreshToken: body.refresh_token } : {}),
    expiresAt: now() + (typeof body.expires_in === 'number' ? body.expires_in : 3600) * 1000,
  };
}

/** The groups claim of an ID token (payload only; the API's authorizer verifies the signature). */
export function groupsOfIdToken(idToken: string): string[] {
  const payload = idToken.split('.')[1];
  if (!payload) return [];
  try {
    const json = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;
    const groups = json['cognito:groups'];
    return Array.isArray(groups) ? groups.filter((g): g is string => typeof g === 'string') : [];
  } catch {
    return [];
  }
}
