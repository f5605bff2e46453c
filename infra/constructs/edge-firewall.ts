/**
 * The WAF web ACL in front of the CloudFront distribution (scope CLOUDFRONT, so it lives in us-east-1:
 * docs/decisions/038). HTTP APIs cannot carry WAF, so this is where per-client limits hold in AWS:
 * rate-based rules per client IP with the same per-client rates as the local limiter (`PUBLIC_THROTTLE`
 * in `shared/http/routes.ts`), a looser flood cap for every path, and three AWS managed rule groups.
 * A rate-limited client gets 429 with a problem body and `Retry-After`, like the local stack.
 */
import { ArnFormat, Stack, type RemovalPolicy } from 'aws-cdk-lib';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnLoggingConfiguration, CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { PUBLIC_THROTTLE, type Throttle } from '#http/routes.ts';

/** WAF counts requests over this window (seconds; WAF allows 60, 120, 300 or 600). */
export const RATE_WINDOW_SECONDS = 60;
/** Every request of one IP, pages and staff routes included: about 20 per second, far above a browser's use. */
export const FLOOD_LIMIT_PER_WINDOW = 1200;
/** The smallest limit WAF accepts for a rate-based rule. */
const WAF_MIN_LIMIT = 10;

/** The WAF limit for a route's per-client rate: its sustained rate over the window (bursts are WAF's granularity). */
export function windowLimit(throttle: Throttle): number {
  return Math.max(WAF_MIN_LIMIT, Math.round(throttle.clientRate * RATE_WINDOW_SECONDS));
}

/** One per-client rule: which requests it counts and how many one IP may send per window. */
export interface ClientRateRule {
  name: string;
  /** `POST /complaints` exactly, or every path under a prefix. */
  match: { method: 'POST'; path: string } | { pathPrefix: string };
  limit: number;
}

/** Intake and tracking face the internet: strict; the signed integrator webhooks: generous. */
export const CLIENT_RATE_RULES: readonly ClientRateRule[] = [
  { name: 'IntakePerClient', match: { method: 'POST', path: '/complaints' }, limit: windowLimit(PUBLIC_THROTTLE.intake) },
  { name: 'TrackPerClient', match: { pathPrefix: '/track/' }, limit: windowLimit(PUBLIC_THROTTLE.track) },
  { name: 'ChannelsPerClient', match: { pathPrefix: '/channels/' }, limit: windowLimit(PUBLIC_THROTTLE.channels) },
];

/**
 * AWS managed rule groups, in evaluation order. The common rule set blocks bodies over 8 KB, but a
 * complaint of 4,000 Chinese characters is about 12 KB of UTF-8: that one rule only counts (the API
 * refuses bodies over 64 KB itself).
 */
export const MANAGED_RULE_GROUPS = [
  { name: 'AWSManagedRulesAmazonIpReputationList', countOnly: [] },
  { name: 'AWSManagedRulesKnownBadInputsRuleSet', countOnly: [] },
  { name: 'AWSManagedRulesCommonRuleSet', countOnly: ['SizeRestrictions_BODY'] },
] as const;

const RATE_LIMITED_BODY = 'rate-limited';

export interface EdgeFirewallProps {
  /** Prefix of metric names, e.g. `complaint-loop-prod`. */
  metricPrefix: string;
  logRetention: RetentionDays;
  removalPolicy: RemovalPolicy;
}

export class EdgeFirewall extends Construct {
  readonly webAcl: CfnWebACL;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: EdgeFirewallProps) {
    super(scope, id);
    const visibility = (metric: string): CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      metricName: `${props.metricPrefix}-${metric}`,
      sampledRequestsEnabled: true,
    });
    const tooMany: CfnWebACL.RuleActionProperty = {
      block: {
        customResponse: {
          responseCode: 429,
          customResponseBodyKey: RATE_LIMITED_BODY,
          responseHeaders: [{ name: 'retry-after', value: String(RATE_WINDOW_SECONDS) }],
        },
      },
    };

    type Rule = Omit<CfnWebACL.RuleProperty, 'priority'>;
    const managed: Rule[] = MANAGED_RULE_GROUPS.map((group) => ({
      name: group.name,
      overrideAction: { none: {} },
      statement: {
        managedRuleGroupStatement: {
          vendorName: 'AWS',
          name: group.name,
          ...(group.countOnly.length > 0 && { ruleActionOverrides: group.countOnly.map((name) => ({ name, actionToUse: { count: {} } })) }),
        },
      },
      visibilityConfig: visibility(group.name),
    }));

    // Rate rules come first: a flood is refused before the managed groups spend capacity on it.
    const perClient: Rule[] = CLIENT_RATE_RULES.map((rule) => ({
      name: rule.name,
      action: tooMany,
      statement: {
        rateBasedStatement: {
          aggregateKeyType: 'IP',
          limit: rule.limit,
          evaluationWindowSec: RATE_WINDOW_SECONDS,
          scopeDownStatement: scopeDown(rule.match),
        },
      },
      visibilityConfig: visibility(rule.name),
    }));
    const flood: Rule = {
      name: 'FloodPerClient',
      action: tooMany,
      statement: { rateBasedStatement: { aggregateKeyType: 'IP', limit: FLOOD_LIMIT_PER_WINDOW, evaluationWindowSec: RATE_WINDOW_SECONDS } },
      visibilityConfig: visibility('FloodPerClient'),
    };

    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'CLOUDFRONT',
      description: 'complaint-loop per-client rate limits and AWS managed rules for the web form and API on CloudFront',
      defaultAction: { allow: {} },
      customResponseBodies: {
        [RATE_LIMITED_BODY]: {
          contentType: 'APPLICATION_JSON',
          content: JSON.stringify({ type: 'about:blank', title: 'Too many requests; try again later', status: 429, code: 'rate-limited' }),
        },
      },
      rules: [...perClient, flood, ...managed].map((rule, priority) => ({ ...rule, priority })),
      visibilityConfig: visibility('WebAcl'),
    });

    // WAF writes only to log groups named aws-waf-logs-*; staff tokens are redacted from the records.
    this.logGroup = new LogGroup(this, 'Logs', {
      logGroupName: `aws-waf-logs-${props.metricPrefix}`,
      retention: props.logRetention,
      removalPolicy: props.removalPolicy,
    });
    new CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: this.webAcl.attrArn,
      logDestinationConfigs: [
        Stack.of(this).formatArn({
          service: 'logs',
          resource: 'log-group',
          resourceName: this.logGroup.logGroupName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
      redactedFields: [{ singleHeader: { Name: 'authorization' } }],
    });
  }

  get webAclArn(): string {
    return this.webAcl.attrArn;
  }
}

function scopeDown(match: ClientRateRule['match']): CfnWebACL.StatementProperty {
  if ('pathPrefix' in match) {
    return {
      byteMatchStatement: {
        fieldToMatch: { uriPath: {} },
        positionalConstraint: 'STARTS_WITH',
        searchString: match.pathPrefix,
        textTransformations: [{ priority: 0, type: 'NONE' }],
      },
    };
  }
  return {
    andStatement: {
      statements: [
        {
          byteMatchStatement: {
            fieldToMatch: { method: {} },
            positionalConstraint: 'EXACTLY',
            searchString: match.method,
            textTransformations: [{ priority: 0, type: 'NONE' }],
          },
        },
        {
          byteMatchStatement: {
            fieldToMatch: { uriPath: {} },
            positionalConstraint: 'EXACTLY',
            searchString: match.path,
            textTransformations: [{ priority: 0, type: 'NONE' }],
          },
        },
      ],
    },
  };
}
