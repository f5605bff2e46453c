/**
 * Deployment parameters, read once from CDK context (`-c key=value` or `cdk.json`) and validated, so a
 * typo fails `cdk synth` instead of a deployment. `docs/deploy.md` lists every parameter.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import { checkDirectorySeed, type DirectoryEntries } from '#domain/directory-entries.ts';

export const STAGES = ['dev', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

export interface Throttle {
  /** Steady-state requests per second. */
  rateLimit: number;
  /** Short burst above the steady rate. */
  burstLimit: number;
}

/** Reserved concurrency of the functions the internet can reach (decision 038). */
export interface PublicConcurrency {
  intake: number;
  track: number;
  /** Each of channel-sms and channel-ivr. */
  channel: number;
}

/**
 * Lambda's default regional quota is 1,000 concurrent executions and at least 100 must stay
 * unreserved (Lambda refuses the reservation otherwise); the public reservations keep far below.
 */
export const ACCOUNT_CONCURRENCY = 1000;
export const MIN_UNRESERVED_CONCURRENCY = 100;

/** Where a CLOUDFRONT-scope WAF web ACL must be created. */
export const EDGE_REGION = 'us-east-1';

export interface StageConfig {
  stage: Stage;
  /**
   * The region of the main stack (`-c region=…`, else the CLI's `CDK_DEFAULT_REGION`, else us-east-1
   * like the CLI itself). Explicit, because the distribution references the web ACL of the us-east-1
   * edge stack across regions.
   */
  region: string;
  /** Reserved concurrency of intake, track and the channel webhooks, so a flood cannot starve staff routes. */
  publicConcurrency: PublicConcurrency;
  /** `prod` keeps data on stack deletion (RETAIN, deletion protection); `dev` cleans up. */
  retainData: boolean;
  /** SES v2 sending identity: a verified domain (`example.cn`) or address (`noreply@example.cn`). */
  sesIdentity?: string;
  /** The From address of escalation e-mails; defaults to the identity or `noreply@<domain>`. */
  mailFrom?: string;
  /** An external OIDC issuer for staff tokens instead of the stack's Cognito user pool. */
  jwt?: { issuer: string; audience: string[] };
  /** ARN of the End User Messaging SMS origination identity (phone number, pool or sender id). */
  smsOriginationIdentityArn?: string;
  /** Subscribed to the alarm topic when given. */
  alarmEmail?: string;
  /** Who gets the daily e-mail while a holiday year is provisional (decision 041); default: the operations directors. */
  calendarAdminEmails: string[];
  /**
   * Prefix of the Cognito hosted UI's domain for the staff console (`<prefix>.auth.<region>.amazoncognito.com`,
   * unique per region across accounts); default `complaint-loop-<stage>-<account>` (decision 067).
   */
  consoleAuthDomainPrefix?: string;
  /** Custom domain of the web form + API (CloudFront); its ACM certificate must be in us-east-1. */
  webDomain?: { domainName: string; certificateArn: string };
  /**
   * An existing WAF web ACL (scope CLOUDFRONT, us-east-1) to attach instead of the edge stack's own,
   * e.g. one managed centrally by Firewall Manager. Without it the edge stack creates one: there is
   * always a web ACL.
   */
  webAclArn?: string;
  /** Pins the CloudFront origin secret to a Secrets Manager version (rotation, decision 039). */
  originSecretVersion?: string;
  /**
   * The directory a fresh table is seeded with at deploy time (`-c directorySeed=<file>`, decision 056):
   * validated here with the admin routes' schemas, written by a custom resource only while the table holds
   * no directory. Without it the table starts empty (intake keeps complaints at the centre).
   */
  directorySeed?: { path: string; entries: DirectoryEntries };
  /** DynamoDB contributor insights (costs extra; useful when hunting hot keys). */
  contributorInsights: boolean;
  /** More deadlines breached than this within 15 minutes raises the breach-spike alarm (decision 054). */
  breachSpikeThreshold: number;
  /** Retention of function, API and scheduler logs. */
  logRetention: RetentionDays;
  /** The archive bucket's Object Lock mode and the retention of cases after they ended (decision 065). */
  archive: { lockMode: 'COMPLIANCE' | 'GOVERNANCE'; retentionYears: number };
  /** Default throttling of every route (the staff routes). */
  stageThrottle: Throttle;
  /** Throttling of a public route that declares none of its own in `ROUTES` (`throttle`). */
  publicThrottle: Throttle;
}

function text(node: Node, key: string): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`Context "${key}" must be a string, got ${JSON.stringify(value)}`);
  return value.trim();
}

function flag(node: Node, key: string, fallback: boolean): boolean {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return fallback;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`Context "${key}" must be true or false, got ${JSON.stringify(value)}`);
}

const ARN = /^arn:aws[\w-]*:[\w-]+:[\w-]*:\d{12}:.+$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

function arn(node: Node, key: string): string | undefined {
  const value = text(node, key);
  if (value !== undefined && !ARN.test(value)) throw new Error(`Context "${key}" must be an ARN, got ${value}`);
  return value;
}

/** Reads and validates the stage configuration from the construct tree's context. */
export function stageConfig(node: Node): StageConfig {
  const stage = text(node, 'stage') ?? 'dev';
  if (!(STAGES as readonly string[]).includes(stage)) throw new Error(`Context "stage" must be one of ${STAGES.join(', ')}, got ${stage}`);
  const prod = stage === 'prod';

  const sesIdentity = text(node, 'sesIdentity');
  if (sesIdentity !== undefined && !EMAIL.test(sesIdentity) && !DOMAIN.test(sesIdentity)) {
    throw new Error(`Context "sesIdentity" must be a domain or an e-mail address, got ${sesIdentity}`);
  }
  // Escalation e-mails are a requirement of the product (SPEC: escalation), so production cannot go without.
  if (prod && sesIdentity === undefined) throw new Error('Context "sesIdentity" is required for stage prod (-c sesIdentity=example.cn)');
  const mailFrom = text(node, 'mailFrom') ?? (sesIdentity === undefined ? undefined : EMAIL.test(sesIdentity) ? sesIdentity : `noreply@${sesIdentity}`);
  if (mailFrom !== undefined && !EMAIL.test(mailFrom)) throw new Error(`Context "mailFrom" must be an e-mail address, got ${mailFrom}`);
  if (mailFrom !== undefined && sesIdentity !== undefined && !mailFrom.toLowerCase().endsWith(sesIdentity.replace(/^.*@/, '').toLowerCase())) {
    throw new Error(`Context "mailFrom" (${mailFrom}) must belong to the SES identity ${sesIdentity}`);
  }

  const issuer = text(node, 'jwtIssuer');
  const audience = text(node, 'jwtAudience');
  if ((issuer === undefined) !== (audience === undefined))
    throw new Error('Give both "jwtIssuer" and "jwtAudience", or neither (then a Cognito user pool is created)');
  if (issuer !== undefined && !/^https:\/\/\S+$/.test(issuer)) throw new Error(`Context "jwtIssuer" must be an https URL, got ${issuer}`);

  const domainName = text(node, 'webDomainName');
  const certificateArn = arn(node, 'webCertificateArn');
  if ((domainName === undefined) !== (certificateArn === undefined)) throw new Error('Give both "webDomainName" and "webCertificateArn", or neither');
  if (domainName !== undefined && !DOMAIN.test(domainName)) throw new Error(`Context "webDomainName" must be a domain name, got ${domainName}`);

  const consoleAuthDomainPrefix = text(node, 'consoleAuthDomainPrefix');
  // Cognito's rule for prefix domains: lower-case letters, digits and hyphens, and none of its reserved words.
  if (
    consoleAuthDomainPrefix !== undefined &&
    (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(consoleAuthDomainPrefix) || /aws|amazon|cognito/.test(consoleAuthDomainPrefix))
  ) {
    throw new Error(
      `Context "consoleAuthDomainPrefix" must be lower-case letters, digits and hyphens without aws/amazon/cognito, got ${consoleAuthDomainPrefix}`,
    );
  }

  const alarmEmail = text(node, 'alarmEmail');
  if (alarmEmail !== undefined && !EMAIL.test(alarmEmail)) throw new Error(`Context "alarmEmail" must be an e-mail address, got ${alarmEmail}`);

  const calendarAdminEmails = (text(node, 'calendarAdminEmails') ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  const badAdmin = calendarAdminEmails.find((e) => !EMAIL.test(e));
  if (badAdmin !== undefined) throw new Error(`Context "calendarAdminEmails" must be comma-separated e-mail addresses, got ${badAdmin}`);

  const smsOriginationIdentityArn = arn(node, 'smsOriginationIdentityArn');
  if (smsOriginationIdentityArn !== undefined && !/:sms-voice:/.test(smsOriginationIdentityArn)) {
    throw new Error('Context "smsOriginationIdentityArn" must be an End User Messaging SMS (sms-voice) ARN');
  }
  const webAclArn = arn(node, 'webAclArn');
  if (webAclArn !== undefined && !/^arn:aws[\w-]*:wafv2:us-east-1:\d{12}:global\/webacl\//.test(webAclArn)) {
    throw new Error(`Context "webAclArn" must be a CLOUDFRONT-scope web ACL (arn:aws:wafv2:us-east-1:…:global/webacl/…), got ${webAclArn}`);
  }
  const region = text(node, 'region') ?? process.env['CDK_DEFAULT_REGION'] ?? EDGE_REGION;
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) throw new Error(`Context "region" must be an AWS region such as ap-southeast-1, got ${region}`);
  const originSecretVersion = text(node, 'originSecretVersion');
  if (originSecretVersion !== undefined && !/^[0-9a-f-]{32,36}$/i.test(originSecretVersion)) {
    throw new Error(`Context "originSecretVersion" must be a Secrets Manager version id, got ${originSecretVersion}`);
  }
  const spike: unknown = node.tryGetContext('breachSpikeThreshold');
  const breachSpikeThreshold = spike === undefined || spike === null || spike === '' ? (prod ? 20 : 5) : Number(spike);
  if (!Number.isInteger(breachSpikeThreshold) || breachSpikeThreshold < 1)
    throw new Error(`Context "breachSpikeThreshold" must be a whole number ≥ 1, got ${JSON.stringify(spike)}`);
  const seedPath = text(node, 'directorySeed');
  const directorySeed = seedPath === undefined ? undefined : readDirectorySeed(seedPath);
  const publicConcurrency: PublicConcurrency = prod ? { intake: 100, track: 50, channel: 25 } : { intake: 10, track: 10, channel: 5 };

  return {
    stage: stage as Stage,
    region,
    publicConcurrency,
    retainData: prod,
    ...(sesIdentity !== undefined && { sesIdentity }),
    ...(mailFrom !== undefined && { mailFrom }),
    ...(issuer !== undefined &&
      audience !== undefined && {
        jwt: {
          issuer,
          audience: audience
            .split(',')
            .map((a) => a.trim())
            .filter(Boolean),
        },
      }),
    ...(smsOriginationIdentityArn !== undefined && { smsOriginationIdentityArn }),
    ...(alarmEmail !== undefined && { alarmEmail }),
    calendarAdminEmails,
    ...(consoleAuthDomainPrefix !== undefined && { consoleAuthDomainPrefix }),
    ...(domainName !== undefined && certificateArn !== undefined && { webDomain: { domainName, certificateArn } }),
    ...(webAclArn !== undefined && { webAclArn }),
    ...(originSecretVersion !== undefined && { originSecretVersion }),
    ...(directorySeed !== undefined && { directorySeed }),
    contributorInsights: flag(node, 'contributorInsights', false),
    breachSpikeThreshold,
    // Seed 004 / SPEC: records are kept at least 3 years; logs only need to outlive an investigation.
    logRetention: prod ? RetentionDays.ONE_YEAR : RetentionDays.TWO_WEEKS,
    // Seed 004: at least 3 years. Compliance locks in prod; governance elsewhere, so a test stack can go.
    archive: { lockMode: prod ? 'COMPLIANCE' : 'GOVERNANCE', retentionYears: 3 },
    stageThrottle: prod ? { rateLimit: 100, burstLimit: 200 } : { rateLimit: 20, burstLimit: 40 },
    publicThrottle: prod ? { rateLimit: 20, burstLimit: 40 } : { rateLimit: 5, burstLimit: 10 },
  };
}

/** The largest seed accepted: it travels as a custom resource property (the Lambda request must stay well under 1 MB). */
export const DIRECTORY_SEED_MAX_BYTES = 200 * 1024;

/** Reads and checks a directory seed file; synthesis fails naming each problem (`staff[3].email: …`). */
export function readDirectorySeed(path: string): { path: string; entries: DirectoryEntries } {
  const file = resolve(path);
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`Context "directorySeed": cannot read ${file} (${(error as Error).message})`);
  }
  if (Buffer.byteLength(raw) > DIRECTORY_SEED_MAX_BYTES) {
    throw new Error(
      `Context "directorySeed": ${file} is larger than ${DIRECTORY_SEED_MAX_BYTES / 1024} KB; seed the core and add the rest through the admin routes`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new Error(`Context "directorySeed": ${file} is not JSON (${(error as Error).message})`);
  }
  const { entries, issues } = checkDirectorySeed(json);
  if (!entries) {
    const list = issues.map((i) => `  ${i.path}: ${i.message}`).join('\n');
    throw new Error(`Context "directorySeed": ${file} is not a valid directory (the shape of GET /admin/directory's entries):\n${list}`);
  }
  return { path: file, entries };
}
