import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { RunArtifactsBucket } from '../../lib/constructs/run-artifacts-bucket';
import { ServiceFunction } from '../../lib/constructs/service-function';
import { StockFanoutWorkflow } from '../../lib/constructs/stock-fanout-workflow';
import { handlerEntry, STOCK_BATCH_ASL } from '../../lib/paths';
import { buildStage, freshStack, stage } from './fixtures';

interface AslState {
  Type: string;
  Retry?: Array<Record<string, unknown>>;
  Catch?: Array<Record<string, unknown>>;
  ItemProcessor?: { ProcessorConfig: Record<string, string>; States: Record<string, AslState> };
  [key: string]: unknown;
}

describe('PipelineStack (prod)', () => {
  let template: Template;
  let definition: { States: Record<string, AslState> };
  let substitutions: Record<string, unknown>;

  beforeAll(() => {
    template = Template.fromStack(buildStage(stage('prod'), { withApi: false }).stacks.pipeline);
    const machine = Object.values(template.findResources('AWS::StepFunctions::StateMachine'))[0]!;
    definition = JSON.parse(machine.Properties.DefinitionString);
    substitutions = machine.Properties.DefinitionSubstitutions;
  });

  describe('functions', () => {
    const batchEnvironment = {
      FA_STAGE: 'prod',
      FA_TABLE_PREFIX: 'fa-prod',
      FA_MODELS_CONFIG: '/var/task/config/models.yaml',
      FA_PRICES_CONFIG: '/var/task/config/prices.yaml',
      EDGAR_USER_AGENT: stage('prod').config.batch.edgarUserAgent,
      POWERTOOLS_SERVICE_NAME: 'fa-stock-batch',
      POWERTOOLS_METRICS_NAMESPACE: 'FAAdvisorAI',
      POWERTOOLS_LOG_LEVEL: 'INFO',
    };

    it.each(['prepare-batch', 'process-stock', 'record-failure', 'finalize-batch'])(
      '%s runs ARM64 Node 22 with tracing and the batch environment',
      (name) => {
        template.hasResourceProperties('AWS::Lambda::Function', {
          FunctionName: `fa-prod-${name}`,
          Runtime: 'nodejs22.x',
          Architectures: ['arm64'],
          TracingConfig: { Mode: 'Active' },
          Environment: { Variables: Match.objectLike(batchEnvironment) },
        });
      },
    );

    it('gives only the stock processor the VPC, the cache and Bedrock', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: 'fa-prod-process-stock',
        VpcConfig: Match.objectLike({ SubnetIds: Match.anyValue() }),
        MemorySize: stage('prod').config.batch.processorMemoryMb,
        Timeout: stage('prod').config.batch.processorTimeoutSeconds,
        Environment: {
          Variables: Match.objectLike({
            FA_LLM: 'bedrock',
            REDIS_URL: Match.anyValue(),
            REDIS_SECRET_ARN: Match.anyValue(),
          }),
        },
      });
      const functions = Object.values(template.findResources('AWS::Lambda::Function'));
      const inVpc = functions.filter((fn) => fn.Properties.VpcConfig).map((fn) => fn.Properties.FunctionName);
      const withRedis = functions.filter((fn) => fn.Properties.Environment?.Variables?.REDIS_URL).map((fn) => fn.Properties.FunctionName);
      expect(inVpc).toEqual(['fa-prod-process-stock']);
      expect(withRedis).toEqual(['fa-prod-process-stock']);
      const bedrock = Object.entries(template.findResources('AWS::IAM::Policy')).filter(([id]) => id.includes('BedrockInvokePolicy'));
      expect(bedrock.map(([id]) => id)).toEqual([expect.stringMatching(/^ProcessStockBedrockInvokePolicy/)]);
      const [statement] = bedrock[0]![1].Properties.PolicyDocument.Statement;
      expect(statement).toMatchObject({
        Sid: 'InvokeConfiguredBedrockModels',
        Effect: 'Allow',
        Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
      });
      expect(statement.Resource).toHaveLength(5);
      expect(statement.Resource).toEqual(
        expect.arrayContaining([
          {
            'Fn::Join': [
              '',
              ['arn:aws:bedrock:us-east-1:', { Ref: 'AWS::AccountId' }, ':inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0'],
            ],
          },
          'arn:aws:bedrock:*::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0',
          'arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-embed-text-v2:0',
        ]),
      );
    });

    it('lets the stock processor out on HTTPS only, plus the Valkey ports to the cache', () => {
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: 'Stock processor: HTTPS out only',
        SecurityGroupEgress: [Match.objectLike({ CidrIp: '0.0.0.0/0', FromPort: 443, ToPort: 443 })],
      });
      template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', { FromPort: 6379, ToPort: 6380 });
      template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        FromPort: 6379,
        ToPort: 6380,
        GroupId: { 'Fn::ImportValue': Match.stringLikeRegexp('CacheSecurityGroup') },
      });
    });

    it("lets the batch read and write its tables, and not the query side's", () => {
      const policy = Object.entries(template.findResources('AWS::IAM::Policy')).find(([id]) =>
        id.startsWith('ProcessStockRoleDefaultPolicy'),
      )!;
      const text = JSON.stringify(policy[1].Properties.PolicyDocument);
      for (const table of ['Summaries', 'Chunks', 'Runs', 'CostLedger']) expect(text).toMatch(new RegExp(`Tables${table}[0-9A-F]{8}`));
      for (const table of ['Sessions', 'AnswerCache']) expect(text).not.toMatch(new RegExp(`Tables${table}[0-9A-F]{8}`));
      expect(text).toContain('dynamodb:PutItem');
    });

    it('puts a live alias on every batch function', () => {
      for (const name of ['PrepareBatch', 'ProcessStock', 'RecordFailure', 'FinalizeBatch']) {
        template.hasResourceProperties('AWS::Lambda::Alias', {
          Name: 'live',
          FunctionName: { Ref: Match.stringLikeRegexp(`^${name}Function`) },
        });
      }
    });
  });

  describe('state machine', () => {
    it('is the ASL file, byte for byte, with the aliases and the bucket substituted', () => {
      expect(definition).toEqual(JSON.parse(readFileSync(STOCK_BATCH_ASL, 'utf8')));
      expect(substitutions).toEqual({
        PrepareBatchFunctionArn: { Ref: expect.stringMatching(/^PrepareBatchLiveAlias/) },
        ProcessStockFunctionArn: { Ref: expect.stringMatching(/^ProcessStockLiveAlias/) },
        RecordFailureFunctionArn: { Ref: expect.stringMatching(/^RecordFailureLiveAlias/) },
        FinalizeBatchFunctionArn: { Ref: expect.stringMatching(/^FinalizeBatchLiveAlias/) },
        MapResultsBucketName: { 'Fn::Join': ['', ['fa-prod-run-artifacts-', { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }]] },
      });
    });

    it('runs the stocks as a Distributed Map tolerating 5 % failures, writing results to S3', () => {
      const map = definition.States.ProcessStocks!;
      expect(map.Type).toBe('Map');
      expect(map.ItemProcessor!.ProcessorConfig).toEqual({ Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' });
      expect(map.ToleratedFailurePercentage).toBe(5);
      expect(map.MaxConcurrencyPath).toBe('$.run.concurrency');
      expect(map.ResultWriter).toEqual({
        Resource: 'arn:aws:states:::s3:putObject',
        Parameters: { Bucket: '${MapResultsBucketName}', Prefix: 'map-results' },
      });
    });

    it('retries every task with full jitter and a delay cap, and catches every per-stock failure', () => {
      const tasks = [
        ...Object.entries(definition.States).filter(([, state]) => state.Type === 'Task'),
        ...Object.entries(definition.States.ProcessStocks!.ItemProcessor!.States),
      ];
      expect(tasks.map(([name]) => name).sort()).toEqual(['FinalizeBatch', 'PrepareBatch', 'ProcessStock', 'RecordFailure']);
      for (const [, state] of tasks) {
        expect(state.Retry!.length).toBeGreaterThan(0);
        for (const retrier of state.Retry!) {
          expect(retrier).toMatchObject({ JitterStrategy: 'FULL', MaxDelaySeconds: expect.any(Number), BackoffRate: expect.any(Number) });
        }
      }
      const processStock = definition.States.ProcessStocks!.ItemProcessor!.States.ProcessStock!;
      expect(processStock.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'RecordFailure' }]);
      // Throttled stocks wait out the Bedrock quota window: bench:capacity shows 6 retries at most a
      // minute apart lose no stock at MaxConcurrency 100 under the assumed quotas.
      expect(processStock.Retry![0]).toEqual({
        ErrorEquals: ['ModelThrottledError', 'ModelTimeoutError', 'ModelServiceError', 'States.Timeout'],
        IntervalSeconds: 2,
        MaxAttempts: 6,
        BackoffRate: 2,
        MaxDelaySeconds: 60,
        JitterStrategy: 'FULL',
      });
    });

    it('logs ALL with execution data and traces with X-Ray', () => {
      template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
        StateMachineName: 'fa-prod-stock-batch',
        StateMachineType: 'STANDARD',
        LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: true, Destinations: Match.anyValue() },
        TracingConfiguration: { Enabled: true },
      });
      template.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: '/aws/vendedlogs/states/fa-prod-stock-batch',
        RetentionInDays: 90,
      });
    });
  });

  describe('IAM of the state machine', () => {
    const arn = (suffix: string) => ({ 'Fn::Join': ['', ['arn:aws:states:us-east-1:', { Ref: 'AWS::AccountId' }, suffix]] });
    let statements: Array<Record<string, unknown>>;
    beforeAll(() => {
      const policy = Object.entries(template.findResources('AWS::IAM::Policy')).find(([id]) => id.startsWith('StockBatchWorkflowPolicy'))!;
      statements = policy[1].Properties.PolicyDocument.Statement;
    });

    it('invokes exactly the four live aliases', () => {
      expect(statements).toContainEqual({
        Sid: 'InvokeTaskFunctionAliases',
        Effect: 'Allow',
        Action: 'lambda:InvokeFunction',
        Resource: ['FinalizeBatch', 'PrepareBatch', 'ProcessStock', 'RecordFailure'].map((name) => ({
          Ref: expect.stringMatching(new RegExp(`^${name}LiveAlias`)),
        })),
      });
    });

    it('starts, describes, stops and redrives only its own Distributed Map child executions', () => {
      expect(statements).toContainEqual({
        Sid: 'StartMapChildExecutions',
        Effect: 'Allow',
        Action: 'states:StartExecution',
        Resource: arn(':stateMachine:fa-prod-stock-batch'),
      });
      expect(statements).toContainEqual({
        Sid: 'ManageMapChildExecutions',
        Effect: 'Allow',
        Action: ['states:DescribeExecution', 'states:StopExecution'],
        Resource: [arn(':execution:fa-prod-stock-batch/*'), arn(':execution:fa-prod-stock-batch:*')],
      });
      expect(statements).toContainEqual({
        Sid: 'RedriveMapChildExecutions',
        Effect: 'Allow',
        Action: 'states:RedriveExecution',
        Resource: arn(':execution:fa-prod-stock-batch/*'),
      });
    });

    it('writes map results under map-results/ only', () => {
      expect(statements).toContainEqual({
        Sid: 'WriteMapResults',
        Effect: 'Allow',
        Action: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:PutObject'],
        Resource: {
          'Fn::Join': [
            '',
            ['arn:aws:s3:::fa-prod-run-artifacts-', { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }, '/map-results/*'],
          ],
        },
      });
    });

    it('is assumable by Step Functions of this account only', () => {
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [
            Match.objectLike({
              Principal: { Service: 'states.amazonaws.com' },
              Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
            }),
          ],
        },
      });
    });
  });

  describe('schedule', () => {
    it('starts the batch at 05:00 America/New_York on weekdays with MaxConcurrency 100, retries and a dead-letter queue', () => {
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'cron(0 5 ? * MON-FRI *)',
        ScheduleExpressionTimezone: 'America/New_York',
        State: 'ENABLED',
        Target: {
          Arn: { Ref: Match.stringLikeRegexp('^StockBatchStateMachine') },
          Input: JSON.stringify({ concurrency: 100 }),
          RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^StockBatchScheduleDeadLetterQueue'), 'Arn'] } },
          RoleArn: Match.anyValue(),
        },
      });
      template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
    });
  });

  describe('safe deployment of the stock processor', () => {
    it('shifts the alias all at once, but only after the pre-traffic hook, and rolls back on alarms', () => {
      template.hasResourceProperties('AWS::CodeDeploy::DeploymentGroup', {
        DeploymentGroupName: 'fa-prod-stock-processor',
        DeploymentConfigName: 'CodeDeployDefault.LambdaAllAtOnce',
        AutoRollbackConfiguration: {
          Enabled: true,
          Events: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_REQUEST', 'DEPLOYMENT_STOP_ON_ALARM'],
        },
        AlarmConfiguration: { Enabled: true, Alarms: [{ Name: Match.anyValue() }, { Name: Match.anyValue() }] },
      });
      template.hasResource('AWS::Lambda::Alias', {
        Properties: { Name: 'live', FunctionName: { Ref: Match.stringLikeRegexp('^ProcessStockFunction') } },
        UpdatePolicy: {
          CodeDeployLambdaAliasUpdate: Match.objectLike({
            BeforeAllowTrafficHook: { Ref: Match.stringLikeRegexp('PreTrafficHookFunction') },
          }),
        },
      });
    });

    it('watches errors and P95 duration of the new version only (ExecutedVersion)', () => {
      for (const metricName of ['Errors', 'Duration']) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          MetricName: metricName,
          Namespace: 'AWS/Lambda',
          Dimensions: Match.arrayWith([
            {
              Name: 'ExecutedVersion',
              Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ProcessStockFunctionCurrentVersion'), 'Version'] },
            },
          ]),
          AlarmDescription: Match.stringLikeRegexp('Runbook: runbooks/deployment-rollback\\.md$'),
        });
      }
    });

    it('points the hook at the new version with golden checks, lets it invoke that version only and report to CodeDeploy', () => {
      const hook = Object.values(template.findResources('AWS::Lambda::Function')).find(
        (fn) => fn.Properties.FunctionName === 'fa-prod-process-stock-pre-traffic',
      )!;
      const variables = hook.Properties.Environment.Variables;
      expect(variables.FA_TARGET_FUNCTION_ARN).toEqual({ Ref: expect.stringMatching(/^ProcessStockFunctionCurrentVersion/) });
      const checks = JSON.parse(variables.FA_GOLDEN_CHECKS);
      expect(checks[0]).toMatchObject({ name: 'rejects a malformed stock item', expect: { errorType: 'InputValidationError' } });
      const golden = stage('prod').config.batch.goldenStock!;
      expect(checks[1]).toMatchObject({
        event: { runId: 'pre-traffic-check', ticker: golden.ticker, asOf: golden.asOf },
        expect: { fieldOneOf: { status: ['verified', 'regenerated'] } },
      });
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Action: 'lambda:InvokeFunction',
              Resource: { Ref: Match.stringLikeRegexp('^ProcessStockFunctionCurrentVersion') },
            }),
            Match.objectLike({ Action: 'codedeploy:PutLifecycleEventHookExecutionStatus' }),
          ]),
        },
      });
    });
  });
});

describe('StockFanoutWorkflow', () => {
  function setUp(maxConcurrency: number, definitionFile = STOCK_BATCH_ASL) {
    const stack = freshStack();
    const fn = (id: string) =>
      new ServiceFunction(stack, id, {
        entry: handlerEntry('pre-traffic-check'),
        functionName: `fa-test-${id.toLowerCase()}`,
        description: id,
        stage: 'test',
        serviceName: 'fa-test',
        logLevel: 'INFO',
        logRetentionDays: 7,
        protectData: false,
      });
    const functions = {
      prepareBatch: fn('Prepare'),
      processStock: fn('Process'),
      recordFailure: fn('Record'),
      finalizeBatch: fn('Finalize'),
    };
    const artifacts = new RunArtifactsBucket(stack, 'Artifacts', { prefix: 'fa-test', protectData: false });
    return () =>
      new StockFanoutWorkflow(stack, 'Workflow', {
        stateMachineName: 'fa-test-stock-batch',
        definitionFile,
        functions,
        artifacts,
        logRetentionDays: 7,
        protectData: false,
        scheduleEnabled: false,
        maxConcurrency,
      });
  }

  it('refuses a MaxConcurrency above 100', () => {
    expect(setUp(101)).toThrowError('StockFanoutWorkflow: MaxConcurrency must be a whole number from 1 to 100, not 101.');
  });

  it('creates a disabled schedule when the stage runs batches on demand', () => {
    const workflow = setUp(20)();
    Template.fromStack(Stack.of(workflow)).hasResourceProperties('AWS::Scheduler::Schedule', {
      State: 'DISABLED',
      Target: Match.objectLike({ Input: '{"concurrency":20}' }),
    });
  });
});
