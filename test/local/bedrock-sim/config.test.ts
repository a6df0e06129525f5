/**
 * The simulator's configuration from the environment, its model matching, its random draws and
 * its token counter.
 */
import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSimulatorConfig, profileFor, simulatorConfigFromEnv } from '../../../local/bedrock-sim/config';
import { sample, seededRandom } from '../../../local/bedrock-sim/random';
import { countTokens, truncateToTokens } from '../../../local/bedrock-sim/tokens';
import { ConfigError } from '../../../lambdas/core/errors';

describe('simulator configuration from the environment', () => {
  it('has stated defaults: realistic latency sped up 50×, a five-minute cache, no quotas, no faults', () => {
    const config = simulatorConfigFromEnv({});
    expect(config).toMatchObject({ speedUp: 50, latency: 'realistic', cacheTtlSeconds: 300, enforceQuotas: false });
    expect(config.faults).toMatchObject({ throttleRate: 0, serverErrorRate: 0, timeoutRate: 0, malformedRate: 0, timeoutMode: 'hang' });
  });

  it('takes fault rates, speed and quotas from FA_SIM_* variables; a quota turns quotas on', () => {
    const config = simulatorConfigFromEnv({
      FA_SIM_THROTTLE_RATE: '0.1',
      FA_SIM_TIMEOUT_RATE: '0.01',
      FA_SIM_SPEEDUP: '20',
      FA_SIM_TPM: '1000000',
      FA_SIM_EMBED_RPM: '300',
    });
    expect(config.faults).toMatchObject({ throttleRate: 0.1, timeoutRate: 0.01 });
    expect(config.speedUp).toBe(20);
    expect(config.enforceQuotas).toBe(true);
    for (const model of config.models.filter((m) => m.kind === 'converse')) expect(model.quota.tokensPerMinute).toBe(1_000_000);
    expect(config.models.find((m) => m.kind === 'titan-embed')!.quota.requestsPerMinute).toBe(300);
  });

  it('does not let one parsed configuration leak into the next', () => {
    simulatorConfigFromEnv({ FA_SIM_THROTTLE_RATE: '0.5', FA_SIM_TPM: '10' });
    expect(simulatorConfigFromEnv({}).faults.throttleRate).toBe(0);
    expect(simulatorConfigFromEnv({}).models[0]!.quota.tokensPerMinute).toBe(2_000_000);
  });

  it('refuses a bad variable with a one-line ConfigError naming it', () => {
    expect(() => simulatorConfigFromEnv({ FA_SIM_THROTTLE_RATE: '1.5' })).toThrowError(ConfigError);
    expect(() => simulatorConfigFromEnv({ FA_SIM_SPEEDUP: 'fast' })).toThrowError(/FA_SIM_SPEEDUP/);
    expect(() => simulatorConfigFromEnv({ FA_SIM_TIMEOUT_MODE: 'sleep' })).toThrowError(/FA_SIM_TIMEOUT_MODE/);
  });

  it('reads a YAML file with any field (FA_SIM_CONFIG), variables on top', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'fa-simcfg-')), 'sim.yaml');
    writeFileSync(file, 'seed: 42\ncacheTtlSeconds: 3600\nfaults:\n  serverErrorRate: 0.02\n');
    const config = simulatorConfigFromEnv({ FA_SIM_CONFIG: file, FA_SIM_ERROR_RATE: '0.05' });
    expect(config).toMatchObject({ seed: 42, cacheTtlSeconds: 3600 });
    expect(config.faults.serverErrorRate).toBe(0.05);
    writeFileSync(file, 'faults:\n  throttleRate: 2\n');
    expect(() => simulatorConfigFromEnv({ FA_SIM_CONFIG: file })).toThrowError(/faults\.throttleRate/);
  });

  it('serves the configured models by exact id or prefix, and no others', () => {
    const config = parseSimulatorConfig();
    expect(profileFor(config, 'us.anthropic.claude-sonnet-4-5-20250929-v1:0')?.name).toBe('claude-sonnet-4-5');
    expect(profileFor(config, 'global.anthropic.claude-haiku-4-5-20251001-v1:0')?.name).toBe('claude-haiku-4-5');
    expect(profileFor(config, 'amazon.titan-embed-text-v2:0')?.kind).toBe('titan-embed');
    expect(profileFor(config, 'amazon.titan-embed-text-v1')).toBeUndefined();
  });
});

describe('random draws', () => {
  it('repeat for the same seed', () => {
    const a = seededRandom(3);
    const b = seededRandom(3);
    for (let i = 0; i < 10; i += 1) expect(a.next()).toBe(b.next());
  });

  it('give a log-normal whose median and P95 are the configured ones', () => {
    const random = seededRandom(11);
    const draws = Array.from({ length: 20_000 }, () => sample({ kind: 'lognormal', median: 1_000, p95: 3_000 }, random)).sort(
      (x, y) => x - y,
    );
    expect(draws[10_000]!).toBeGreaterThan(950);
    expect(draws[10_000]!).toBeLessThan(1_050);
    expect(draws[19_000]!).toBeGreaterThan(2_800);
    expect(draws[19_000]!).toBeLessThan(3_200);
  });
});

describe('the token counter', () => {
  it('counts a common word as one token and splits digits in threes', () => {
    expect(countTokens('revenue')).toBe(1);
    expect(countTokens(' revenue grew')).toBe(2);
    expect(countTokens('1372957000')).toBe(4);
    expect(countTokens('')).toBe(0);
  });

  it('never counts a concatenation as more than its parts plus one, nor a text as fewer tokens than a prefix of it', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(countTokens(a + b)).toBeLessThanOrEqual(countTokens(a) + countTokens(b) + 1);
        expect(countTokens(a + b)).toBeGreaterThanOrEqual(countTokens(a) - 1);
      }),
    );
  });

  it('truncates a text to at most the given number of tokens', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 400 }), fc.nat(100), (text, limit) => {
        expect(countTokens(truncateToTokens(text, limit))).toBeLessThanOrEqual(Math.max(limit, 0) + 2);
      }),
    );
  });
});
