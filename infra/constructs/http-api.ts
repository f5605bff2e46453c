/**
 * The HTTP API: one route per entry of `ROUTES` (`shared/http/routes.ts`), each to the Lambda its
 * `function` names; the JWT authorizer on `staff` routes only. Staff routes share the stage's default
 * throttling; each public route gets its own limit (its `throttle` in `ROUTES`) through the stage's
 * route settings, which the L2 stage does not expose. Access logs go to CloudWatch Logs as JSON.
 */
import { type RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnStage,
  HttpApi,
  HttpMethod,
  type HttpStage,
  LogGroupLogDestination,
  type HttpRoute,
  type IHttpRouteAuthorizer,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { routeKey, type RouteSpec } from '#http/routes.ts';
import type { Throttle } from '../config.ts';
import { acknowledge } from '../nag.ts';

export interface ComplaintApiProps {
  routes: readonly RouteSpec[];
  /** The Lambda of each function name a route refers to. */
  functions: ReadonlyMap<string, IFunction>;
  jwt: { issuer: string; audience: string[] };
  stageThrottle: Throttle;
  /** For a public route that declares no `throttle` of its own in `ROUTES`. */
  publicThrottle: Throttle;
  logRetention: RetentionDays;
  removalPolicy: RemovalPolicy;
}

/** One line per request; no bodies, no headers, no query strings (they may carry personal data). */
const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  ip: '$context.identity.sourceIp',
  method: '$context.httpMethod',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  latencyMs: '$context.responseLatency',
  integrationLatencyMs: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  principal: '$context.authorizer.claims.sub',
};

/** Why a route has no authorizer, for its cdk-nag acknowledgment. */
function publicRouteReason(spec: RouteSpec): string {
  if (spec.path.startsWith('/channels/')) {
    return `${routeKey(spec)} is an integrator webhook: the function authenticates each request by an HMAC signature over the timestamp and raw body (shared/http/channel.ts, secret in Secrets Manager) before reading it; throttled per route, idempotent by message id.`;
  }
  return `${routeKey(spec)} is public by design (SPEC: complainants file and track without an account); throttled per route, validated by zod, idempotent, answering masked data only.`;
}

export class ComplaintApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly authorizer: IHttpRouteAuthorizer;
  /** Route key → the route, for tests and for the web distribution's path patterns. */
  readonly routes = new Map<string, HttpRoute>();

  constructor(scope: Construct, id: string, props: ComplaintApiProps) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', {
      description: `complaint-loop (${Stack.of(this).stackName})`,
      createDefaultStage: false,
    });

    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: props.logRetention, removalPolicy: props.removalPolicy });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: props.stageThrottle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });

    this.authorizer = new HttpJwtAuthorizer('StaffJwt', props.jwt.issuer, {
      jwtAudience: props.jwt.audience,
      identitySource: ['$request.header.Authorization'],
    });

    const integrations = new Map<string, HttpLambdaIntegration>();
    const integrationFor = (name: string): HttpLambdaIntegration => {
      const fn = props.functions.get(name);
      if (!fn) throw new Error(`Route to function "${name}", which the stack does not define`);
      let integration = integrations.get(name);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${name}-integration`, fn);
        integrations.set(name, integration);
      }
      return integration;
    };

    const publicRouteSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
    for (const spec of props.routes) {
      const [route] = this.api.addRoutes({
        path: spec.path,
        methods: [HttpMethod[spec.method]],
        integration: integrationFor(spec.function),
        ...(spec.auth === 'staff' && { authorizer: this.authorizer }),
      });
      if (!route) throw new Error(`No route created for ${routeKey(spec)}`);
      this.routes.set(routeKey(spec), route);
      if (spec.auth === 'public') {
        // The route's own limit from ROUTES (shared with the local stack), else the stage's public default.
        publicRouteSettings[routeKey(spec)] = spec.throttle
          ? { ThrottlingRateLimit: spec.throttle.routeRate, ThrottlingBurstLimit: spec.throttle.routeBurst }
          : { ThrottlingRateLimit: props.publicThrottle.rateLimit, ThrottlingBurstLimit: props.publicThrottle.burstLimit };
        acknowledge(route, 'AwsSolutions-APIG4', publicRouteReason(spec));
      }
    }

    const cfnStage = this.stage.node.defaultChild as CfnStage;
    cfnStage.addPropertyOverride('RouteSettings', publicRouteSettings);
    // Route settings name routes by key: the stage must be (re)deployed after the routes exist.
    for (const route of this.routes.values()) this.stage.node.addDependency(route);
  }

  /** `https://<id>.execute-api.<region>.amazonaws.com` (the `$default` stage is at the root). */
  get url(): string {
    return this.api.apiEndpoint;
  }

  /** The API's host name, for a CloudFront origin. */
  get domainName(): string {
    const stack = Stack.of(this);
    return `${this.api.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`;
  }
}
