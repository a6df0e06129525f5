import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { createStageStacks } from '../../lib/fa-advisor-app';
import { OPERATOR_GROUP } from '../../lambdas/core/contracts/api';
import { NO_BUNDLING, QUERY_ENTRY, TEST_BEDROCK, stage } from './fixtures';
import { REPO_ROOT } from '../../lib/paths';

const cdkJson: { context: Record<string, unknown> } = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8'));

/** The dev stage's API stack with the console built (a tiny web/dist) or not built (an empty folder). */
function apiStack(built: boolean) {
  const webDistPath = mkdtempSync(join(tmpdir(), 'fa-web-dist-'));
  if (built) {
    mkdirSync(join(webDistPath, 'assets'));
    writeFileSync(join(webDistPath, 'index.html'), '<!doctype html><title>FA console</title>');
  }
  const app = new App({ context: { ...cdkJson.context, ...NO_BUNDLING } });
  const stacks = createStageStacks(app, stage('dev'), { bedrock: TEST_BEDROCK, queryEntry: QUERY_ENTRY, webDistPath });
  return stacks.api!;
}

const json = (value: unknown) => JSON.stringify(value);

describe('the FA console in AWS (WebConsole in the API stack)', () => {
  let template: Template;
  let stack: ReturnType<typeof apiStack>;
  beforeAll(() => {
    stack = apiStack(true);
    template = Template.fromStack(stack);
  });

  it('keeps the site bucket private: full public access block, TLS only, encrypted, versioned, no website hosting', () => {
    const buckets = template.findResources('AWS::S3::Bucket', { Properties: { VersioningConfiguration: { Status: 'Enabled' } } });
    const [siteId, bucket] = Object.entries(buckets).find(([id]) => id.startsWith('ConsoleSite'))!;
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe(
      'AES256',
    );
    expect(bucket.Properties.WebsiteConfiguration).toBeUndefined();
    const policies = template.findResources('AWS::S3::BucketPolicy', { Properties: { Bucket: { Ref: siteId } } });
    const statements = Object.values(policies).flatMap(
      (policy) => policy.Properties.PolicyDocument.Statement as Array<Record<string, any>>,
    );
    expect(statements.some((s) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false')).toBe(true);
    // Only CloudFront (this distribution) may read it: the OAC grant, conditioned on the distribution's ARN.
    const reads = statements.filter((s) => s.Effect === 'Allow');
    expect(reads.map((s) => s.Principal)).toContainEqual({ Service: 'cloudfront.amazonaws.com' });
    expect(json(reads)).toContain('AWS:SourceArn');
  });

  it('serves through origin access control (not an origin access identity), redirecting HTTP to HTTPS, index.html at the root and for SPA routes', () => {
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    template.resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 0);
    const [distribution] = Object.values(template.findResources('AWS::CloudFront::Distribution'));
    const config = distribution!.Properties.DistributionConfig;
    expect(config.Origins[0].OriginAccessControlId).toBeDefined();
    expect(config.Origins[0].S3OriginConfig.OriginAccessIdentity).toBe('');
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(config.DefaultRootObject).toBe('index.html');
    expect(config.CustomErrorResponses).toEqual(
      expect.arrayContaining([expect.objectContaining({ ErrorCode: 403, ResponseCode: 200, ResponsePagePath: '/index.html' })]),
    );
    expect(config.Logging.Bucket).toBeDefined();
  });

  it('sends the strict CSP with the API and Cognito origins in connect-src, HSTS, nosniff, frame DENY and a referrer policy', () => {
    const [policy] = Object.values(template.findResources('AWS::CloudFront::ResponseHeadersPolicy'));
    const headers = policy!.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    const csp = json(headers.ContentSecurityPolicy.ContentSecurityPolicy);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/connect-src 'self' https:\/\/.*execute-api/);
    expect(csp).toContain('amazoncognito.com');
    expect(headers.StrictTransportSecurity).toMatchObject({ AccessControlMaxAgeSec: 31_536_000, IncludeSubdomains: true, Override: true });
    expect(headers.ContentTypeOptions).toEqual({ Override: true });
    expect(headers.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    expect(headers.ReferrerPolicy.ReferrerPolicy).toBe('strict-origin-when-cross-origin');
    const [distribution] = Object.values(template.findResources('AWS::CloudFront::Distribution'));
    expect(distribution!.Properties.DistributionConfig.DefaultCacheBehavior.ResponseHeadersPolicyId).toBeDefined();
  });

  it('gives the console an app client with the code grant only, no secret, the openid/email/profile scopes and the distribution as callback', () => {
    const clients = template.findResources('AWS::Cognito::UserPoolClient', { Properties: { ClientName: 'fa-dev-console' } });
    expect(Object.keys(clients)).toHaveLength(1);
    const client = Object.values(clients)[0]!.Properties;
    expect(client.AllowedOAuthFlows).toEqual(['code']);
    expect(client.AllowedOAuthFlowsUserPoolClient).toBe(true);
    expect(client.GenerateSecret).toBe(false);
    expect([...client.AllowedOAuthScopes].sort()).toEqual(['email', 'openid', 'profile']);
    expect(json(client.CallbackURLs)).toMatch(/https:\/\/.*ConsoleDistribution\w*","DomainName"/);
    expect(client.CallbackURLs).toContain('http://localhost:5173/');
    expect(client.LogoutURLs).toEqual(client.CallbackURLs);
    template.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
  });

  it('creates the operators group the API reads as the operator role', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: OPERATOR_GROUP });
  });

  it("adds the distribution's origin to the API's CORS origins and to the query function's FA_CORS_ORIGINS", () => {
    const functions = template.findResources('AWS::Lambda::Function', {
      Properties: { Environment: { Variables: { FA_CORS_ORIGINS: Match.anyValue() } } },
    });
    const origins = json(Object.values(functions)[0]!.Properties.Environment.Variables.FA_CORS_ORIGINS);
    expect(origins).toContain('http://localhost:5173');
    expect(origins).toMatch(/https:\/\/",\{"Fn::GetAtt":\["ConsoleDistribution\w*","DomainName"\]/);
    const preflights = template.findResources('AWS::ApiGateway::Method', { Properties: { HttpMethod: 'OPTIONS' } });
    expect(json(Object.values(preflights)[0])).toMatch(/ConsoleDistribution\w*","DomainName"/);
  });

  it('deploys web/dist and writes /config.json with the API URL, the Cognito domain, the client id and the redirect URI', () => {
    const deployments = template.findResources('Custom::CDKBucketDeployment');
    expect(Object.keys(deployments)).toHaveLength(1);
    const deployment = Object.values(deployments)[0]!.Properties;
    expect(deployment.SourceObjectKeys).toHaveLength(2);
    expect(deployment.Prune).toBe(true);
    expect(deployment.DistributionPaths).toEqual(['/*']);
    // Source.jsonData leaves the deploy-time values as markers, resolved by the deployment function.
    const markers = json(deployment.SourceMarkers);
    expect(markers).toContain(json({ Ref: stack.resolve(stack.queryApi.api.restApiId).Ref }));
    expect(markers).toContain(json(stack.resolve(stack.console.client.userPoolClientId)));
    expect(markers).toContain(json(stack.resolve(stack.console.domain.domainName)));
    expect(markers).toContain(json(stack.resolve(stack.console.distribution.distributionDomainName)));
  });

  it('still synthesizes when web/dist was not built, deploying nothing and saying so in a warning', () => {
    const unbuilt = apiStack(false);
    const template = Template.fromStack(unbuilt);
    template.resourceCountIs('Custom::CDKBucketDeployment', 0);
    template.resourceCountIs('AWS::CloudFront::Distribution', 1);
    Annotations.fromStack(unbuilt).hasWarning('*', Match.stringLikeRegexp('FA console is not deployed'));
  });
});
