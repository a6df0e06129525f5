import { describe, expect, it } from 'vitest';
import { parseStages, resourcePrefix, selectStages, StageConfigError } from '../../lib/config';
import { stage, STAGES } from './fixtures';

const raw = (patch: (dev: Record<string, unknown>) => void): unknown => {
  const dev = structuredClone(stage('dev').config) as unknown as Record<string, unknown>;
  patch(dev);
  return { dev };
};

describe('stage configuration', () => {
  it('cdk.json defines a dev and a prod stage that pass validation', () => {
    expect(STAGES.map((s) => s.name).sort()).toEqual(['dev', 'prod']);
  });

  it('prod protects data, runs the schedule and keeps provisioned concurrency for the query alias', () => {
    const prod = stage('prod').config;
    expect(prod.protectData).toBe(true);
    expect(prod.batch.scheduleEnabled).toBe(true);
    expect(prod.api.provisionedConcurrency).toBeGreaterThan(0);
    expect(prod.natGateways).toBe(prod.availabilityZones.length);
  });

  it('rejects a concurrency above 100 with one sentence naming the field', () => {
    expect(() => parseStages(raw((dev) => ((dev.batch as Record<string, unknown>).maxConcurrency = 101)))).toThrowError(
      /^invalid stage configuration at fa:stages\.dev\.batch\.maxConcurrency: /,
    );
  });

  it('rejects a wildcard or plain-http CORS origin', () => {
    expect(() => parseStages(raw((dev) => ((dev.api as Record<string, unknown>).corsOrigins = ['*'])))).toThrowError(StageConfigError);
    expect(() => parseStages(raw((dev) => ((dev.api as Record<string, unknown>).corsOrigins = ['http://crm.example.com'])))).toThrowError(
      /corsOrigins\.0/,
    );
  });

  it('rejects a log retention CloudWatch does not accept', () => {
    expect(() => parseStages(raw((dev) => (dev.logRetentionDays = 10)))).toThrowError(/logRetentionDays: must be one of/);
  });

  it('rejects unknown fields instead of ignoring a typo', () => {
    expect(() => parseStages(raw((dev) => (dev.natGateway = 1)))).toThrowError(/fa:stages\.dev/);
  });

  it('rejects an EDGAR User-Agent without a contact address (SEC requires one)', () => {
    expect(() => parseStages(raw((dev) => ((dev.batch as Record<string, unknown>).edgarUserAgent = 'FA Advisor AI')))).toThrowError(
      /edgarUserAgent/,
    );
  });

  it('rejects a missing stage map', () => {
    expect(() => parseStages(undefined)).toThrowError(StageConfigError);
  });

  it('selects every stage by default and one by name, and names the known stages for a typo', () => {
    expect(selectStages(STAGES, undefined)).toHaveLength(2);
    expect(selectStages(STAGES, 'prod').map((s) => s.name)).toEqual(['prod']);
    expect(() => selectStages(STAGES, 'qa')).toThrowError('stage "qa" is not configured; known stages: dev, prod');
  });

  it('prefixes physical names with fa-<stage>, the FA_TABLE_PREFIX the handlers use', () => {
    expect(resourcePrefix('prod')).toBe('fa-prod');
  });
});
