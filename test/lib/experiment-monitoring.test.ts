/**
 * The running A/B tests in CloudWatch: a dashboard row per experiment, and per guardrail and
 * treatment arm an alarm on the daily gap to control that names runbooks/ab-guardrail.md.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadExperiments } from '../../lambdas/adapters/experiments-file';
import { createStageStacks } from '../../lib/fa-advisor-app';
import { experimentMonitoringOf } from '../../lib/experiments';
import { REPO_ROOT } from '../../lib/paths';
import { NO_BUNDLING, stage, TEST_BEDROCK } from './fixtures';

type Resource = { Properties: Record<string, any> };
const cdkJson: { context: Record<string, unknown> } = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8'));

describe('A/B test monitoring (prod, medium_writer running)', () => {
  let alarms: Resource[];
  let dashboards: Resource[];
  beforeAll(() => {
    const app = new App({ context: { ...cdkJson.context, ...NO_BUNDLING } });
    const experiments = experimentMonitoringOf(loadExperiments('config/ab_tests.yaml'));
    const { monitoring } = createStageStacks(app, stage('prod'), { bedrock: TEST_BEDROCK, experiments });
    const template = Template.fromStack(monitoring);
    alarms = (Object.values(template.findResources('AWS::CloudWatch::Alarm')) as Resource[]).filter((a) =>
      String(a.Properties.AlarmName).includes('AbGuardrail'),
    );
    dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard')) as Resource[];
  });

  it('raises one alarm per guardrail of the treatment arm, naming its runbook', () => {
    expect(alarms.map((a) => a.Properties.AlarmName).sort()).toEqual([
      'fa-prod-AbGuardrail-medium_writer-v2-answer_flagged_rate',
      'fa-prod-AbGuardrail-medium_writer-v2-facts_only_rate',
    ]);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmDescription).toMatch(/A\/B test medium_writer: arm v2 .* Runbook: runbooks\/ab-guardrail\.md$/);
      expect(existsSync(join(REPO_ROOT, 'runbooks', 'ab-guardrail.md'))).toBe(true);
    }
  });

  it('alarms when the arm is worse than control by more than the allowed degradation over a day', () => {
    const alarm = alarms.find((a) => a.Properties.AlarmName.endsWith('facts_only_rate'))!;
    expect(alarm.Properties).toMatchObject({
      Threshold: 0.02,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
    });
    const queries = alarm.Properties.Metrics as Array<Record<string, any>>;
    expect(queries.find((q) => q.Expression)?.Expression).toBe('treatment - control');
    const stat = (id: string) => queries.find((q) => q.Id === id)!.MetricStat;
    expect(stat('treatment').Metric).toMatchObject({ MetricName: 'Experiment_facts_only_rate', Namespace: 'FAAdvisorAI' });
    expect(stat('treatment').Metric.Dimensions).toEqual(
      expect.arrayContaining([
        { Name: 'experiment', Value: 'medium_writer' },
        { Name: 'arm', Value: 'v2' },
        { Name: 'service', Value: 'fa-stock-batch' },
      ]),
    );
    expect(stat('control').Metric.Dimensions).toEqual(expect.arrayContaining([{ Name: 'arm', Value: 'v1' }]));
    expect(stat('treatment')).toMatchObject({ Period: 86_400, Stat: 'Average' });
    // The query-side guardrail reads the query workload's metric.
    const flagged = alarms.find((a) => a.Properties.AlarmName.endsWith('answer_flagged_rate'))!;
    const flaggedStat = (flagged.Properties.Metrics as Array<Record<string, any>>).find((q) => q.Id === 'treatment')!.MetricStat;
    expect(flaggedStat.Metric.Dimensions).toEqual(expect.arrayContaining([{ Name: 'service', Value: 'fa-query-api' }]));
  });

  it('draws the experiment on its own dashboard: exposures, the primary and every guardrail per arm', () => {
    const body = JSON.stringify(dashboards.map((d) => d.Properties.DashboardBody));
    for (const title of [
      'medium_writer: first exposures per arm',
      'medium_writer: fact_check_pass_rate per arm (daily mean)',
      'medium_writer: facts_only_rate per arm (daily mean)',
      'medium_writer: answer_flagged_rate per arm (daily mean)',
    ]) {
      expect(body).toContain(title);
    }
    expect(body).toContain('Experiment_fact_check_pass_rate');
    expect(body).toContain('ExperimentExposures');
  });
});
