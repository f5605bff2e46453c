/**
 * Who staff are: a Cognito user pool with one group per role (`shared/http/auth.ts` reads
 * `cognito:groups`, `custom:unitId`, `custom:staffId`), or an external OIDC issuer given as parameters.
 * Either way the API gets one JWT issuer and audience.
 */
import { createHash } from 'node:crypto';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AccountRecovery,
  type CfnUserPoolClient,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { ROLES } from '#domain/model.ts';
import { acknowledge } from '../nag.ts';

/**
 * The console's app client, as the UpdateUserPoolClient call that points it at the site must repeat it
 * whole (that API resets every field it is not given). One object, so the CloudFormation resource and the
 * call cannot drift: the L2 client below is built from these values.
 */
export const CONSOLE_CLIENT = {
  AllowedOAuthFlows: ['code'],
  AllowedOAuthFlowsUserPoolClient: true,
  AllowedOAuthScopes: ['openid', 'profile'],
  SupportedIdentityProviders: ['COGNITO'],
  ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
  PreventUserExistenceErrors: 'ENABLED',
  EnableTokenRevocation: true,
  // 1 h ID/access tokens; refresh tokens at Cognito's minimum (1 h): the console never uses one (decision 067).
  IdTokenValidity: 60,
  AccessTokenValidity: 60,
  RefreshTokenValidity: 60,
  TokenValidityUnits: { IdToken: 'minutes', AccessToken: 'minutes', RefreshToken: 'minutes' },
  WriteAttributes: ['name'],
} as const;

/** The console's hosted-UI sign-in: the domain, the client, where Cognito sends the browser back to. */
export interface ConsoleSignInProps {
  /** The hosted UI's domain prefix (`<prefix>.auth.<region>.amazoncognito.com`), globally unique per region. */
  domainPrefix: string;
  /** The site's URL when it is known before the distribution (a custom domain); else `connectConsole` sets it after. */
  site?: string;
}

export interface StaffIdentityProps {
  /** An external issuer; when absent a user pool is created. */
  jwt?: { issuer: string; audience: string[] };
  retain: boolean;
  /** The staff console's hosted-UI sign-in (decision 067); only with the stack's own user pool. */
  console?: ConsoleSignInProps;
}

export class StaffIdentity extends Construct {
  readonly issuer: string;
  readonly audience: string[];
  readonly userPool?: UserPool;
  readonly client?: UserPoolClient;
  /** The console's app client (authorization code + PKCE, no secret) and the hosted UI's host name. */
  readonly consoleClient?: UserPoolClient;
  readonly consoleDomain?: UserPoolDomain;
  /** `<prefix>.auth.<region>.amazoncognito.com`: the console's config.json and the CSP's connect-src. */
  readonly consoleHost?: string;
  private consoleConnected = false;

  constructor(scope: Construct, id: string, props: StaffIdentityProps) {
    super(scope, id);
    if (props.jwt) {
      this.issuer = props.jwt.issuer;
      this.audience = props.jwt.audience;
      return;
    }

    const pool = new UserPool(this, 'UserPool', {
      // Staff accounts are created by an administrator (docs/deploy.md), never by sign-up.
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      signInCaseSensitive: false,
      standardAttributes: { email: { required: true, mutable: true } },
      customAttributes: {
        unitId: new StringAttribute({ minLen: 1, maxLen: 64, mutable: true }),
        staffId: new StringAttribute({ minLen: 1, maxLen: 64, mutable: true }),
      },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
        passwordHistorySize: 5,
      },
      // Staff see complainants' names and phone numbers (SPEC: personal data): a second factor is required.
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      // Threat protection (compromised credentials, risky sign-ins) needs the Plus feature plan.
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      deletionProtection: props.retain,
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    for (const role of ROLES) pool.addGroup(`Group-${role}`, { groupName: role, description: `complaint-loop role ${role}` });

    this.client = pool.addClient('StaffClient', {
      generateSecret: false,
      authFlows: { userSrp: true, userPassword: true },
      disableOAuth: true,
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      // A user must not move themselves to another unit: custom:unitId / custom:staffId are admin-only.
      writeAttributes: new ClientAttributes().withStandardAttributes({ fullname: true }),
    });
    this.userPool = pool;
    this.issuer = `https://cognito-idp.${Stack.of(this).region}.${Stack.of(this).urlSuffix}/${pool.userPoolId}`;
    // The ID token carries `aud` = client id and the custom attributes the API needs.
    this.audience = [this.client.userPoolClientId];

    if (props.console) {
      const stack = Stack.of(this);
      this.consoleDomain = pool.addDomain('HostedUi', { cognitoDomain: { domainPrefix: props.console.domainPrefix } });
      this.consoleHost = `${props.console.domainPrefix}.auth.${stack.region}.amazoncognito.com`;
      const site = props.console.site;
      this.consoleClient = pool.addClient('ConsoleClient', {
        generateSecret: false,
        authFlows: {},
        // Without a known site the client starts with OAuth off (no placeholder redirect ever exists);
        // `connectConsole` turns it on with the distribution's URL once that exists.
        ...(site === undefined
          ? { disableOAuth: true }
          : {
              oAuth: {
                flows: { authorizationCodeGrant: true },
                scopes: [OAuthScope.OPENID, OAuthScope.PROFILE],
                callbackUrls: [`${site}/console/callback`],
                logoutUrls: [`${site}/console/`],
              },
            }),
        supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
        preventUserExistenceErrors: CONSOLE_CLIENT.PreventUserExistenceErrors === 'ENABLED',
        enableTokenRevocation: CONSOLE_CLIENT.EnableTokenRevocation,
        idTokenValidity: Duration.minutes(CONSOLE_CLIENT.IdTokenValidity),
        accessTokenValidity: Duration.minutes(CONSOLE_CLIENT.AccessTokenValidity),
        refreshTokenValidity: Duration.minutes(CONSOLE_CLIENT.RefreshTokenValidity),
        writeAttributes: new ClientAttributes().withStandardAttributes({ fullname: true }),
      });
      // Refresh only (no password or SRP flow): staff sign in on the hosted UI, never in the console's own page.
      (this.consoleClient.node.defaultChild as CfnUserPoolClient).addPropertyOverride('ExplicitAuthFlows', [...CONSOLE_CLIENT.ExplicitAuthFlows]);
      this.consoleConnected = site !== undefined;
      this.audience.push(this.consoleClient.userPoolClientId);
    }
  }

  /**
   * Points the console's app client at the site once the distribution exists (decision 067): the API's
   * authorizer needs the client id before the distribution is created, and the distribution's URL is
   * what the client's callback needs — a cycle in one template, broken by this call after both exist.
   * UpdateUserPoolClient resets what it is not given, so the whole of {@link CONSOLE_CLIENT} is sent;
   * its hash is in the physical id, so a change to the client re-runs the call after CloudFormation's update.
   */
  connectConsole(siteUrl: string): void {
    if (!this.consoleClient || !this.userPool || this.consoleConnected) return;
    this.consoleConnected = true;
    const call = {
      service: 'CognitoIdentityServiceProvider',
      action: 'updateUserPoolClient',
      parameters: {
        ...CONSOLE_CLIENT,
        UserPoolId: this.userPool.userPoolId,
        ClientId: this.consoleClient.userPoolClientId,
        CallbackURLs: [`${siteUrl}/console/callback`],
        LogoutURLs: [`${siteUrl}/console/`],
      },
      physicalResourceId: PhysicalResourceId.of(`console-client-${createHash('sha256').update(JSON.stringify(CONSOLE_CLIENT)).digest('hex').slice(0, 16)}`),
    };
    const connect = new AwsCustomResource(this, 'ConsoleCallback', {
      onCreate: call,
      onUpdate: call,
      policy: AwsCustomResourcePolicy.fromSdkCalls({ resources: [this.userPool.userPoolArn] }),
      installLatestAwsSdk: false,
    });
    connect.node.addDependency(this.consoleClient);
    const stack = Stack.of(this);
    const handler = stack.node.tryFindChild(`AWS${AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`);
    if (handler) {
      const why =
        'CDK-managed AwsCustomResource handler (custom-resources), which calls cognito-idp:UpdateUserPoolClient on this stack’s pool at deploy time to set the console’s callback URL';
      acknowledge(
        handler,
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        `${why}; CDK gives it the basic execution policy for its logs.`,
      );
      acknowledge(handler, 'AwsSolutions-L1', `${why}; CDK pins its Node.js runtime.`);
    }
  }
}
