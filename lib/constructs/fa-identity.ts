/**
 * Who may call the query API: a Cognito user pool of FAs. Chosen over IAM authorization because
 * the API must know the FA, not just the tool: conversation memory is per FA and one FA can never
 * read another's (docs/DESIGN.md §6), so the FA's identity comes from a verified token (`sub`), never from
 * the request body. IAM (SigV4) would authenticate the calling tool's role and leave the FA's
 * identity to the tool's word. FA tools sign FAs in (SRP, or federation with the firm's IdP) and
 * send the ID token; API keys on top meter and throttle each tool separately.
 */
import { Duration, RemovalPolicy, aws_cognito as cognito } from 'aws-cdk-lib';
import { Construct } from 'constructs';

export interface FaIdentityProps {
  readonly prefix: string;
  /** One app client per FA tool (ids from the stage config). */
  readonly toolIds: readonly string[];
  readonly protectData: boolean;
}

export class FaIdentity extends Construct {
  public readonly userPool: cognito.UserPool;
  /** App client per FA tool id. */
  public readonly clients: Readonly<Record<string, cognito.UserPoolClient>>;

  constructor(scope: Construct, id: string, props: FaIdentityProps) {
    super(scope, id);
    if (new Set(props.toolIds).size !== props.toolIds.length) throw new Error('FaIdentity: FA tool ids must be unique.');
    this.userPool = new cognito.UserPool(this, 'FaUsers', {
      userPoolName: `${props.prefix}-financial-advisors`,
      // FAs are provisioned by the firm, never self-registered.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      // Threat protection (compromised credentials, adaptive authentication) enforced.
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: props.protectData,
      removalPolicy: props.protectData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const clients: Record<string, cognito.UserPoolClient> = {};
    for (const toolId of props.toolIds) {
      clients[toolId] = this.userPool.addClient(`Client-${toolId}`, {
        userPoolClientName: `${props.prefix}-${toolId}`,
        authFlows: { userSrp: true },
        generateSecret: false,
        preventUserExistenceErrors: true,
        idTokenValidity: Duration.hours(1),
        accessTokenValidity: Duration.hours(1),
        refreshTokenValidity: Duration.hours(12),
        enableTokenRevocation: true,
      });
    }
    this.clients = clients;
  }
}
