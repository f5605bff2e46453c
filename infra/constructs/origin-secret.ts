/**
 * The secret CloudFront sends to the API as an origin custom header, so that the API can refuse calls
 * that did not come through the distribution and its WAF (docs/decisions/039; the check is
 * `shared/http/origin.ts`). JSON `{"current": "...", "previous": "..."}` like the webhook secret.
 */
import { RemovalPolicy, SecretValue } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ORIGIN_HEADER } from '#http/origin.ts';
import { acknowledge } from '../nag.ts';
import type { ComplaintFunction } from './lambda-function.ts';

export interface OriginSecretProps {
  /** Pins the header value to one version of the secret (the deploy step of a rotation). */
  versionId?: string;
  removalPolicy: RemovalPolicy;
}

export class OriginSecret extends Construct {
  readonly secret: Secret;
  readonly headerName = ORIGIN_HEADER;
  private readonly versionId: string | undefined;

  constructor(scope: Construct, id: string, props: OriginSecretProps) {
    super(scope, id);
    this.versionId = props.versionId;
    this.secret = new Secret(this, 'Secret', {
      description: `Value of the ${ORIGIN_HEADER} header CloudFront adds to API requests: {"current": "...", "previous": "..."} (shared/http/origin.ts)`,
      generateSecretString: { secretStringTemplate: '{}', generateStringKey: 'current', passwordLength: 48, excludePunctuation: true },
      removalPolicy: props.removalPolicy === RemovalPolicy.RETAIN ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    acknowledge(
      this.secret,
      'AwsSolutions-SMG4',
      'Rotating this secret means changing the CloudFront origin header too; the project bundles no CloudFront client for a rotation Lambda, so rotation is a documented two-step (put a new "current" keeping "previous", then deploy with -c originSecretVersion); the API accepts both values meanwhile (docs/decisions/039).',
    );
  }

  /**
   * The header value as a CloudFormation dynamic reference (`{{resolve:secretsmanager:…}}`), resolved by
   * CloudFormation at deploy time: the secret never appears in the template or the cloud assembly.
   */
  get headerValue(): string {
    return SecretValue.secretsManager(this.secret.secretArn, {
      jsonField: 'current',
      ...(this.versionId !== undefined && { versionId: this.versionId }),
    }).unsafeUnwrap();
  }

  /** Lets an API function read the secret; its ARN goes into ORIGIN_SECRET_ARN, which switches the check on. */
  grantCheck(fn: ComplaintFunction): void {
    this.secret.grantRead(fn.role);
    fn.addEnvironment('ORIGIN_SECRET_ARN', this.secret.secretArn);
  }
}
