/**
 * The complainant's web form: a private S3 bucket behind CloudFront (Origin Access Control), with the
 * HTTP API as a second origin for the API paths so the page and the API share one origin (no CORS,
 * one certificate, one set of security headers). The page is deployed from `web/` when it exists.
 */
import { existsSync } from 'node:fs';
import { DefaultStackSynthesizer, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  Function as CloudFrontFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
  type BehaviorOptions,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeWildcard } from '../nag.ts';

export interface WebHostingProps {
  /** The API's host name (`<id>.execute-api.<region>.amazonaws.com`). */
  apiDomainName: string;
  /** CloudFront path patterns served by the API (`/complaints*`, `/track/*` …). */
  apiPathPatterns: string[];
  /** The folder to deploy as the site, or undefined to create the hosting without content. */
  webDir?: string;
  /** The built staff console (`npm run console:build` → console/dist), deployed under `console/` when it exists. */
  consoleDir?: string;
  /**
   * How the console signs staff in: the Cognito hosted UI's domain (`<prefix>.auth.<region>.amazoncognito.com`
   * or a custom one) and the app client id. Written to `/console/config.json` with the redirect
   * `<site>/console/callback`; the domain is added to connect-src (the token endpoint). Absent: the
   * console says sign-in is not configured.
   */
  consoleSignIn?: { cognitoDomain: string; clientId: string };
  domain?: { domainName: string; certificateArn: string };
  /** The WAF web ACL (scope CLOUDFRONT) of the distribution: always one (decision 038). */
  webAclArn: string;
  /** The header CloudFront adds to every request to the API, which refuses requests without it (decision 039). */
  originHeader: { name: string; value: string };
  retain: boolean;
  logRetention: RetentionDays;
}

/**
 * The API paths the distribution forwards: the first segment of every route path, plus the channel
 * webhooks (`/channels/*`) that integrators call.
 */
export function apiPathPatterns(paths: readonly string[]): string[] {
  const patterns = new Set<string>(['/channels/*']);
  for (const path of paths) {
    const [, first = '', ...rest] = path.split('/');
    // `/complaints` and `/complaints/{id}/…` → `/complaints*`; `/track/{code}` → `/track/*`.
    patterns.add(rest.length === 0 || paths.includes(`/${first}`) ? `/${first}*` : `/${first}/*`);
  }
  return [...patterns].sort();
}

/**
 * CloudFront Function (viewer request) on `/console*`: `/console` and every path whose last segment has no
 * file extension (`/console/c/<id>`) is served `/console/index.html`; files (`app.js`) are served as they are.
 */
export const CONSOLE_FALLBACK_CODE = `function handler(event) {
  var request = event.request;
  var last = request.uri.split('/').pop();
  if (request.uri === '/console' || last.indexOf('.') === -1) request.uri = '/console/index.html';
  return request;
}`;

export class WebHosting extends Construct {
  readonly bucket: Bucket;
  readonly logBucket: Bucket;
  readonly distribution: Distribution;
  readonly deployment?: BucketDeployment;
  readonly consoleDeployment?: BucketDeployment;

  constructor(scope: Construct, id: string, props: WebHostingProps) {
    super(scope, id);
    const removal = props.retain ? { removalPolicy: RemovalPolicy.RETAIN } : { removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: true };

    this.logBucket = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      // CloudFront standard logs are written with ACLs.
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(props.retain ? 365 : 30) }],
      ...removal,
    });
    acknowledge(
      this.logBucket,
      'AwsSolutions-S1',
      'This bucket receives the access logs of the web bucket and the distribution; logging it into itself would loop.',
    );

    this.bucket = new Bucket(this, 'Site', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      versioned: true,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 'site/',
      lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(90) }],
      ...removal,
    });

    const securityHeaders = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'complaint-loop security headers',
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src ${["'self'", ...(props.consoleSignIn ? [`https://${props.consoleSignIn.cognitoDomain}`] : [])].join(' ')}; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'`,
          override: true,
        },
        strictTransportSecurity: { accessControlMaxAge: Duration.days(730), includeSubdomains: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        // Tracking codes travel in URLs (/track/<code>): never leak them to another site.
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
    });

    const apiOrigin = new HttpOrigin(props.apiDomainName, {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [OriginSslPolicy.TLS_V1_2],
      // Origin custom headers replace a viewer's header of the same name: a viewer cannot spoof it.
      customHeaders: { [props.originHeader.name]: props.originHeader.value },
    });
    const apiBehavior: BehaviorOptions = {
      origin: apiOrigin,
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      // Everything but Host (API Gateway routes by its own host name): Authorization, Idempotency-Key, signatures.
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: securityHeaders,
    };

    const siteOrigin = S3BucketOrigin.withOriginAccessControl(this.bucket);
    // The console is a single-page app under /console/: a path without a file extension is one of its pages.
    const consoleFallback = new CloudFrontFunction(this, 'ConsoleFallback', {
      comment: 'complaint-loop console: SPA fallback to /console/index.html',
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(CONSOLE_FALLBACK_CODE),
    });
    const consoleBehavior: BehaviorOptions = {
      origin: siteOrigin,
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      cachePolicy: CachePolicy.CACHING_OPTIMIZED,
      responseHeadersPolicy: securityHeaders,
      functionAssociations: [{ function: consoleFallback, eventType: FunctionEventType.VIEWER_REQUEST }],
    };

    this.distribution = new Distribution(this, 'Distribution', {
      comment: `complaint-loop web (${Stack.of(this).stackName})`,
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: siteOrigin,
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: securityHeaders,
      },
      additionalBehaviors: { '/console*': consoleBehavior, ...Object.fromEntries(props.apiPathPatterns.map((pattern) => [pattern, apiBehavior])) },
      httpVersion: HttpVersion.HTTP2_AND_3,
      // Edges in Asia (Hong Kong, Japan, Singapore …) closest to complainants in mainland China.
      priceClass: PriceClass.PRICE_CLASS_200,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
      ...(props.domain && {
        domainNames: [props.domain.domainName],
        certificate: Certificate.fromCertificateArn(this, 'Certificate', props.domain.certificateArn),
        minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
      }),
      webAclId: props.webAclArn,
    });

    if (!props.domain) {
      acknowledge(
        this.distribution,
        'AwsSolutions-CFR4',
        'Without a custom domain CloudFront serves its default *.cloudfront.net certificate, whose minimum protocol cannot be raised; give -c webDomainName and -c webCertificateArn to enforce TLS 1.2 (docs/deploy.md).',
      );
    }
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR1',
      'No geo restriction: complainants may file from anywhere (travellers, overseas senders of mail to China); the API throttles public routes.',
    );

    const deployLogs = () =>
      new LogGroup(this, 'DeployLogs', { retention: props.logRetention, removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY });
    let logs: LogGroup | undefined;
    if (props.webDir !== undefined && existsSync(props.webDir)) {
      logs = deployLogs();
      this.deployment = new BucketDeployment(this, 'Deploy', {
        sources: [Source.asset(props.webDir)],
        destinationBucket: this.bucket,
        // The console's own deployment owns console/: pruning the site must not delete it.
        exclude: ['console/*'],
        distribution: this.distribution,
        distributionPaths: ['/*'],
        memoryLimit: 256,
        logGroup: logs,
      });
    }
    if (props.consoleDir !== undefined && existsSync(props.consoleDir)) {
      logs ??= deployLogs();
      this.consoleDeployment = new BucketDeployment(this, 'DeployConsole', {
        sources: [Source.asset(props.consoleDir), Source.jsonData('config.json', this.consoleConfig(props.consoleSignIn, props.domain))],
        destinationBucket: this.bucket,
        destinationKeyPrefix: 'console/',
        distribution: this.distribution,
        distributionPaths: ['/console*'],
        memoryLimit: 256,
        logGroup: logs,
      });
    }
    if (this.deployment || this.consoleDeployment) this.acknowledgeDeploymentHandler();
  }

  /**
   * BucketDeployment runs a CDK-provided singleton Lambda (at stack level) whose role, policy and runtime
   * CDK fixes; acknowledge exactly its findings, on it alone.
   */
  private acknowledgeDeploymentHandler(): void {
    const stack = Stack.of(this);
    const handler = stack.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (!handler) throw new Error('BucketDeployment handler not found');
    const why =
      'CDK-managed BucketDeployment handler (aws-s3-deployment), which copies web/ into the site bucket and invalidates the distribution at deploy time; its role is generated by CDK';
    acknowledge(
      handler,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      `${why} with the basic execution policy for its logs.`,
    );
    acknowledge(handler, 'AwsSolutions-L1', `${why}; CDK pins its Python runtime.`);
    for (const action of ['s3:GetBucket*', 's3:GetObject*', 's3:List*', 's3:Abort*', 's3:DeleteObject*']) {
      acknowledge(
        handler,
        `AwsSolutions-IAM5[Action::${action}]`,
        `${why}; CDK's bucket read/write grant uses action groups on the asset and site buckets only.`,
      );
    }
    acknowledgeWildcard(handler, `${this.bucket.bucketArn}/*`, `${why}; it writes the objects of the site bucket.`);
    if (stack.synthesizer instanceof DefaultStackSynthesizer) {
      // The bootstrap asset bucket, named as the default synthesizer names it.
      const qualifier = (stack.node.tryGetContext('@aws-cdk/core:bootstrapQualifier') as string | undefined) ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER;
      // The region is literal once the stack has one (it does: decision 038), a pseudo parameter otherwise.
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CDK's own placeholders in the default bucket name, replaced here
      const assetBucket = DefaultStackSynthesizer.DEFAULT_FILE_ASSETS_BUCKET_NAME.replace('${Qualifier}', qualifier).replace('${AWS::Region}', stack.region);
      acknowledgeWildcard(handler, `arn:${stack.partition}:s3:::${assetBucket}/*`, `${why}; it reads the uploaded web/ asset from the CDK asset bucket.`);
    }
    acknowledge(handler, 'AwsSolutions-IAM5[Resource::*]', `${why}; CDK grants cloudfront:CreateInvalidation/GetInvalidation without a resource.`);
  }

  /** `/console/config.json` in AWS (console/src/auth.ts reads it; locally local/console.ts answers `dev`). */
  private consoleConfig(signIn: WebHostingProps['consoleSignIn'], domain: WebHostingProps['domain']): Record<string, string> {
    if (!signIn) return { mode: 'unconfigured' };
    // The address staff use: the custom domain when there is one (the app client's callback is registered for it).
    const site = domain ? `https://${domain.domainName}` : this.url;
    return { mode: 'cognito', domain: signIn.cognitoDomain, clientId: signIn.clientId, redirectUri: `${site}/console/callback`, logoutUri: `${site}/console/` };
  }

  get url(): string {
    return `https://${this.distribution.distributionDomainName}`;
  }
}
