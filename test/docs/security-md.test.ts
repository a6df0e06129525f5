/**
 * SECURITY.md maps every threat to a control and a test that exist: every repository path it
 * names (in backticks) must be a file or folder here, so the map cannot rot when code moves.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const text = readFileSync('SECURITY.md', 'utf8');

/** Backticked tokens that look like repository paths (`lib/…`, `test/…`, `docs/openapi.json`, …). */
const ROOTS = /^(lib|lambdas|local|scripts|bench|evals|test|docs|config|runbooks|statemachines|bin|tools)\//;
const named = [
  ...new Set([...text.matchAll(/`([^`\s]+)`/g)].map((match) => match[1]!).filter((token) => ROOTS.test(token) || token === 'cdk.json')),
];

/** Threat-table rows: `| threat | kind | control | test |` with a test cell. */
const rows = text
  .split('\n')
  .filter((line) => /^\| .+ \| .+ \| .+ \| .+ \|$/.test(line) && !/^\| (threat|---)/.test(line))
  .map((line) => line.split(' | ').map((cell) => cell.replace(/^\| |\|$/g, '').trim()))
  .filter((cells) => cells.length === 4 && /^(S|T|R|I|D|E|LLM)/.test(cells[1]!));

describe('SECURITY.md', () => {
  it('names files that exist for every control and test', () => {
    expect(named.length).toBeGreaterThan(30);
    const missing = named.filter((path) => !existsSync(path));
    expect(missing).toEqual([]);
  });

  it('gives every threat a test file under test/ (or says the test is planned), and a STRIDE or OWASP LLM kind', () => {
    expect(rows.length).toBeGreaterThan(25);
    for (const [threat, kind, , tests] of rows) {
      expect({ threat, kind }).toEqual({ threat, kind: expect.stringMatching(/^(S|T|R|I|D|E|LLM\d{2})(, (S|T|R|I|D|E|LLM\d{2}))*$/) });
      expect({ threat, tests: /`test\/[^`]+\.test\.ts`|planted-weaknesses check|planned: /.test(tests!) }).toEqual({ threat, tests: true });
    }
  });

  it('covers the whole OWASP Top 10 for LLM applications 2025 and every STRIDE category', () => {
    const kinds = rows.map(([, kind]) => kind).join(', ');
    for (let n = 1; n <= 10; n += 1) expect(kinds).toContain(`LLM${String(n).padStart(2, '0')}`);
    for (const letter of ['S', 'T', 'R', 'I', 'D', 'E']) expect(kinds.split(/,\s*/)).toContain(letter);
  });

  it('lists the security suite checks not built yet under its known gaps', () => {
    expect(text).toMatch(/## Known gaps\n\n- The security suite/);
  });

  it('says how to report a vulnerability and how long each kind of data is kept', () => {
    expect(text).toMatch(/## Reporting a vulnerability\n\n.*@/);
    for (const table of ['sessions', 'answer-cache', 'idempotency']) expect(text).toContain(`\`${table}\` (TTL`);
  });
});
