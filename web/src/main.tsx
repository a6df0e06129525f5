/**
 * The FA console: sign-in (a dev sign-in on the local stage, Cognito's hosted UI with PKCE in AWS),
 * then stocks, briefs and questions for every FA, and the operator's dashboard for the operators
 * group. Routes live in the URL hash, so the static site needs no server-side routing.
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, loadSignedIn, saveSignedIn, setApiBase } from './api';
import type { SignedIn, SiteConfig } from './api';
import { authorizeUrl, challengeOf, exchangeCode, groupsOfIdToken, parseCallback, randomVerifier } from './auth/pkce';
import type { CognitoConfig } from './auth/pkce';
import { BriefView, StockSearch } from './views/stocks';
import { Ask } from './views/ask';
import { Cost, Quality, RunPage, Runs } from './views/ops';
import './styles.css';

function useHash(): string {
  const [hash, setHash] = useState(location.hash || '#/');
  useEffect(() => {
    const onChange = () => setHash(location.hash || '#/');
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return hash;
}

function DevSignIn(props: { onSignedIn: (who: SignedIn) => void }) {
  const [faId, setFaId] = useState('fa-demo');
  const [role, setRole] = useState<'fa' | 'operator'>('fa');
  const [error, setError] = useState('');
  const submit = async (event: Event) => {
    event.preventDefault();
    const response = await fetch('/dev/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ faId, role }),
    });
    const body = (await response.json().catch(() => ({}))) as {
      apiKey?: string;
      faId?: string;
      role?: string;
      error?: { message?: string };
    };
    if (!response.ok || !body.apiKey) return setError(body.error?.message ?? `sign-in failed (HTTP ${response.status})`);
    props.onSignedIn({ faId: body.faId ?? faId, operator: body.role === 'operator', apiKey: body.apiKey });
  };
  return (
    <form class="sign-in" onSubmit={submit} aria-labelledby="sign-in-title">
      <h2 id="sign-in-title">Sign in (local development)</h2>
      <p class="muted">
        On this machine a dev sign-in picks an FA id and mints an API key for it. In AWS the console signs in through the Cognito user pool
        instead.
      </p>
      <label for="fa-id">FA id</label>
      <input
        id="fa-id"
        value={faId}
        onInput={(e) => setFaId((e.target as HTMLInputElement).value)}
        required
        pattern="[A-Za-z0-9][A-Za-z0-9._:@\-]{0,63}"
      />
      <fieldset>
        <legend>Role</legend>
        <label>
          <input type="radio" name="role" value="fa" checked={role === 'fa'} onChange={() => setRole('fa')} /> Financial advisor
        </label>
        <label>
          <input type="radio" name="role" value="operator" checked={role === 'operator'} onChange={() => setRole('operator')} /> Operator
        </label>
      </fieldset>
      <button type="submit">Sign in</button>
      {error ? (
        <p role="alert" class="error">
          {error}
        </p>
      ) : null}
    </form>
  );
}

const PKCE_KEY = 'fa-console-pkce';

async function startCognito(config: CognitoConfig): Promise<void> {
  const verifier = randomVerifier();
  const state = randomVerifier();
  sessionStorage.setItem(PKCE_KEY, JSON.stringify({ verifier, state }));
  location.assign(authorizeUrl(config, { state, challenge: await challengeOf(verifier) }));
}

async function finishCognito(config: CognitoConfig): Promise<SignedIn> {
  const saved = JSON.parse(sessionStorage.getItem(PKCE_KEY) ?? '{}') as { verifier?: string; state?: string };
  sessionStorage.removeItem(PKCE_KEY);
  const callback = parseCallback(location.href, saved.state ?? null);
  if ('error' in callback) throw new Error(callback.error);
  const tokens = await exchangeCode(config, callback.code, saved.verifier ?? '');
  history.replaceState(null, '', '/');
  const payload = JSON.parse(atob(tokens.idToken.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { sub?: string };
  return { faId: payload.sub ?? 'unknown', operator: groupsOfIdToken(tokens.idToken).includes('operators'), tokens };
}

function Shell(props: { who: SignedIn; onSignOut: () => void }) {
  const hash = useHash();
  const [path, query] = hash.slice(1).split('?') as [string, string | undefined];
  void query;
  const parts = path.split('/').filter(Boolean);
  const nav: Array<[string, string, boolean]> = [
    ['#/', 'Stocks', parts.length === 0 || parts[0] === 'stock'],
    ['#/ask', 'Ask', parts[0] === 'ask'],
    ...(props.who.operator
      ? ([
          ['#/ops/runs', 'Runs', parts[0] === 'ops' && parts[1] === 'runs'],
          ['#/ops/cost', 'Cost', parts[0] === 'ops' && parts[1] === 'cost'],
          ['#/ops/quality', 'Quality', parts[0] === 'ops' && parts[1] === 'quality'],
        ] as Array<[string, string, boolean]>)
      : []),
  ];
  let page;
  if (parts[0] === 'stock' && parts[1]) page = <BriefView who={props.who} ticker={decodeURIComponent(parts[1])} />;
  else if (parts[0] === 'ask') page = <Ask who={props.who} sessionId={parts[1]} />;
  else if (parts[0] === 'ops' && !props.who.operator) page = <p role="alert">The dashboard is for operators.</p>;
  else if (parts[0] === 'ops' && parts[1] === 'runs' && parts[2]) page = <RunPage who={props.who} runId={decodeURIComponent(parts[2])} />;
  else if (parts[0] === 'ops' && parts[1] === 'runs') page = <Runs who={props.who} />;
  else if (parts[0] === 'ops' && parts[1] === 'cost') page = <Cost who={props.who} />;
  else if (parts[0] === 'ops' && parts[1] === 'quality') page = <Quality who={props.who} />;
  else page = <StockSearch who={props.who} />;
  return (
    <>
      <header class="top">
        <a
          class="skip"
          href="#main"
          onClick={(e) => {
            e.preventDefault();
            document.getElementById('main')?.focus();
          }}
        >
          Skip to content
        </a>
        <h1>FA Advisor AI</h1>
        <nav aria-label="main">
          <ul>
            {nav.map(([href, label, current]) => (
              <li>
                <a href={href} aria-current={current ? 'page' : undefined}>
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <p class="who">
          {props.who.faId}
          {props.who.operator ? ' (operator)' : ''}{' '}
          <button type="button" onClick={props.onSignOut}>
            Sign out
          </button>
        </p>
      </header>
      <main id="main" tabIndex={-1}>
        {page}
      </main>
    </>
  );
}

function App() {
  const [config, setConfig] = useState<SiteConfig>();
  const [who, setWho] = useState<SignedIn | undefined>(loadSignedIn());
  const [error, setError] = useState('');
  useEffect(() => {
    fetch('/config.json')
      .then((r) => r.json() as Promise<SiteConfig>)
      .then((c) => {
        setApiBase(c.apiBase);
        setConfig(c);
        if (c.auth.mode === 'cognito' && location.search.includes('code='))
          finishCognito(c.auth).then(signIn, (e: Error) => setError(e.message));
      })
      .catch(() => setError('the console could not read its configuration'));
  }, []);
  const signIn = (next: SignedIn) => {
    saveSignedIn(next);
    setWho(next);
  };
  useEffect(() => {
    // A key minted on another data dir, or an expired token, signs the FA out rather than failing every page.
    if (who) api(who, '/openapi.json').catch(() => signIn(undefined as unknown as SignedIn));
  }, [who?.apiKey, who?.tokens?.idToken]);
  if (error)
    return (
      <p role="alert" class="error">
        {error}
      </p>
    );
  if (!config) return <p aria-busy="true">Loading…</p>;
  if (who)
    return (
      <Shell
        who={who}
        onSignOut={() => {
          saveSignedIn(undefined);
          setWho(undefined);
          location.hash = '#/';
        }}
      />
    );
  return (
    <main id="main" class="signed-out">
      <h1>FA Advisor AI</h1>
      {config.auth.mode === 'dev' ? (
        <DevSignIn onSignedIn={signIn} />
      ) : config.auth.mode === 'cognito' ? (
        <button type="button" onClick={() => void startCognito(config.auth as CognitoConfig)}>
          Sign in
        </button>
      ) : (
        <p>Sign-in is not configured for this stage.</p>
      )}
    </main>
  );
}

render(<App />, document.getElementById('app')!);
