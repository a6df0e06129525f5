import { describe, expect, it } from 'vitest';
import { authorizeUrl, challengeOf, exchangeCode, parseCallback, randomVerifier } from '../../web/src/auth/pkce';
import type { CognitoConfig } from '../../web/src/auth/pkce';

const config: CognitoConfig = {
  mode: 'cognito',
  domain: 'https://fa-test.auth.us-east-1.amazoncognito.com/',
  clientId: 'client123',
  redirectUri: 'https://console.example.com/',
  scopes: ['openid', 'email'],
};

describe('the Cognito sign-in with PKCE', () => {
  it('derives the S256 challenge of RFC 7636 appendix B', async () => {
    expect(await challengeOf('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('makes verifiers of 43 unreserved characters that differ each time', () => {
    const a = randomVerifier();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomVerifier()).not.toBe(a);
  });

  it('asks the hosted UI for a code with the challenge and state', () => {
    const url = new URL(authorizeUrl(config, { state: 's1', challenge: 'c1' }));
    expect(url.origin + url.pathname).toBe('https://fa-test.auth.us-east-1.amazoncognito.com/oauth2/authorize');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'client123',
      code_challenge: 'c1',
      code_challenge_method: 'S256',
      state: 's1',
      scope: 'openid email',
    });
  });

  it('refuses a callback whose state is not the one this browser sent', () => {
    expect(parseCallback('https://console.example.com/?code=abc&state=other', 's1')).toEqual({ error: expect.stringContaining('state') });
    expect(parseCallback('https://console.example.com/?code=abc&state=s1', 's1')).toEqual({ code: 'abc' });
    expect(parseCallback('https://console.example.com/?error=access_denied', 's1')).toEqual({
      error: expect.stringContaining('access_denied'),
    });
  });

  it('exchanges the code with the verifier at the token endpoint, and fails with the reason', async () => {
    const seen: Array<{ url: string; body: string }> = [];
    const ok = (async (url: string, init: RequestInit) => {
      seen.push({ url, body: String(init.body) });
      return new Response(JSON.stringify({ id_token: 'id', access_token: 'acc', expires_in: 60 }), { status: 200 });
    }) as unknown as typeof fetch;
    const tokens = await exchangeCode(config, 'abc', 'verifier1', ok, () => 1000);
    expect(tokens).toEqual({ idToken: 'id', accessToken: 'acc', expiresAt: 61_000 });
    expect(seen[0]!.url).toBe('https://fa-test.auth.us-east-1.amazoncognito.com/oauth2/token');
    expect(Object.fromEntries(new URLSearchParams(seen[0]!.body))).toMatchObject({
      grant_type: 'authorization_code',
      code: 'abc',
      code_verifier: 'verifier1',
    });
    const bad = (async () => new Response(JSON.stringify({ error: 'invalid_grant' }), { status: 400 })) as unknown as typeof fetch;
    await expect(exchangeCode(config, 'abc', 'v', bad)).rejects.toThrow('invalid_grant');
  });
});
