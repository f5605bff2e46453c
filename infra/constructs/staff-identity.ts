/**
 * Who staff are: a Cognito user pool with one group per role (`shared/http/auth.ts` reads
 * `cognito:groups`, `custom:unitId`, `custom:staffId`), or an external OIDC issuer given as parameters.
 * Either way the API gets one JWT issuer and audience.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ROLES } from '#domain/model.ts';

export interface StaffIdentityProps {
  /** An external issuer; when absent a user pool is created. */
  jwt?: { issuer: string; audience: string[] };
  retain: boolean;
}

export class StaffIdentity extends Construct {
  readonly issuer: string;
  readonly audience: string[];
  readonly userPool?: UserPool;
  readonly client?: UserPoolClient;

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
  }
}
