/**
 * cdk-nag (AwsSolutions) has nothing to say about the stack, in every configuration, and every finding
 * it would have is acknowledged with a reason on the construct it concerns, never on the stack.
 *
 * cdk-nag 3 is a policy-validation plugin, not an aspect: findings are not annotations
 * (`Annotations.fromStack(...).findError` sees none); `app.synth()` throws on them, and a pack's
 * `validateScope` lists them.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { assemble } from '../../infra/assemble.ts';
import { PROJECT_ROOT } from '../../infra/constructs/bundling.ts';
import { PROD_CONTEXT, fixtureEntries, scratchDir, synthesise, type Synthesised } from './synth.ts';
import { directory, routing } from '#config/index.ts';
import { seedEntries } from '#domain/directory-entries.ts';

/** A directory seed file (decision 056): its custom resource is checked with the third configuration. */
const SEED_FILE = join(scratchDir('nag-seed-'), 'directory.json');
writeFileSync(SEED_FILE, JSON.stringify(seedEntries(directory, routing)));

const CONFIGURATIONS: Record<string, Record<string, unknown>> = {
  dev: {},
  prod: PROD_CONTEXT,
  'prod with an external issuer, a custom domain and a WAF ACL': {
    ...PROD_CONTEXT,
    directorySeed: SEED_FILE,
    jwtIssuer: 'https://login.example.cn/realms/post',
    jwtAudience: 'complaint-api',
    webDomainName: 'tousu.example.cn',
    webCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/0f0e0d0c-0b0a-0908-0706-050403020100',
    webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/complaints/0f0e0d0c-0b0a-0908-0706-050403020100',
  },
};

const WEB_FIXTURE = resolve(PROJECT_ROOT, 'test/infra/fixtures/web');

interface Acknowledgment {
  path: string;
  id: string;
  reason: string;
  onStack: boolean;
}

function acknowledgments(root: IConstruct): Acknowledgment[] {
  return root.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.entries(m.data as Record<string, string>))
      .map(([id, reason]) => ({ path: c.node.path, id: id.replace(/^annotation::/i, ''), reason, onStack: Stack.isStack(c) || c === root })),
  );
}

const synthesised: Record<string, Synthesised> = {};

beforeAll(() => {
  for (const [name, context] of Object.entries(CONFIGURATIONS)) {
    // synthesise() runs cdk-nag during app.synth() and throws on any unacknowledged finding.
    synthesised[name] = synthesise(context, { webDir: WEB_FIXTURE });
  }
  // Three configurations, up to two stacks each, all checked by cdk-nag: minutes on a loaded machine.
}, 300_000);

describe('cdk-nag AwsSolutions', () => {
  it.each(Object.keys(CONFIGURATIONS))('reports no unacknowledged finding for %s', (name) => {
    const { app } = synthesised[name]!;
    const report = new AwsSolutionsChecks().validateScope(app);
    expect(report.violations.map((v) => `${v.ruleName} ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
  });

  it('acknowledges only on resources, never on the stack or the app, always with a reason', () => {
    for (const { app } of Object.values(synthesised)) {
      const acks = acknowledgments(app);
      expect(acks.length).toBeGreaterThan(0);
      for (const ack of acks) {
        expect(ack.onStack, `${ack.id} on ${ack.path}`).toBe(false);
        expect(ack.id).toMatch(/^AwsSolutions-[A-Z]+\d+(\[.+\])?$/);
        expect(ack.reason.length, `${ack.id} on ${ack.path}`).toBeGreaterThan(40);
      }
    }
  });

  it('needs no CloudFront TLS acknowledgment once a domain is given, and no WAF acknowledgment in any configuration', () => {
    const ids = acknowledgments(synthesised['prod with an external issuer, a custom domain and a WAF ACL']!.app).map((a) => a.id);
    expect(ids).not.toContain('AwsSolutions-CFR4');
    for (const { app } of Object.values(synthesised)) expect(acknowledgments(app).map((a) => a.id)).not.toContain('AwsSolutions-CFR2');
  });

  it('creates no edge stack when an existing web ACL is given, and attaches that one', () => {
    const { edge, template } = synthesised['prod with an external issuer, a custom domain and a WAF ACL']!;
    expect(edge).toBeUndefined();
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({ WebACLId: CONFIGURATIONS['prod with an external issuer, a custom domain and a WAF ACL']!['webAclArn'] }),
    });
  });

  it('checks the directory seed’s custom resource too (the third configuration has one)', () => {
    const { template } = synthesised['prod with an external issuer, a custom domain and a WAF ACL']!;
    template.resourceCountIs('Custom::DirectorySeed', 1);
  });

  it('uses an external issuer and audience instead of creating a user pool', () => {
    const { template } = synthesised['prod with an external issuer, a custom domain and a WAF ACL']!;
    template.resourceCountIs('AWS::Cognito::UserPool', 0);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      JwtConfiguration: { Issuer: 'https://login.example.cn/realms/post', Audience: ['complaint-api'] },
    });
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Aliases: ['tousu.example.cn'],
        ViewerCertificate: Match.objectLike({ MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' }),
        WebACLId: Match.stringLikeRegexp('^arn:aws:wafv2:'),
      }),
    });
  });

  it('fails synthesis on a finding nobody acknowledged', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const { main: stack } = assemble(app, { entries: fixtureEntries(), webDir: WEB_FIXTURE });
    // A queue without a dead-letter queue or TLS enforcement: AwsSolutions-SQS3 and -SQS4.
    new Queue(stack, 'Careless');
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS(3|4)/);
  }, 120_000);
});
