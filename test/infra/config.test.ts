/** Deployment parameters are validated at synth time, so a typo never reaches CloudFormation. */
import { App } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { stageConfig } from '../../infra/config.ts';
import { assemble } from '../../infra/assemble.ts';
import menuJson from '#config/ivr-menu.json' with { type: 'json' };
import { IVR_MENU } from '#domain/channels/ivr-inbound.ts';
import { assertIvrMenu } from '#domain/channels/ivr-menu.ts';

const config = (context: Record<string, unknown>) => stageConfig(new App({ context }).node);

describe('stage configuration from context', () => {
  it('defaults to dev: data destroyed with the stack, short log retention, no e-mail or SMS', () => {
    expect(config({})).toMatchObject({ stage: 'dev', retainData: false, logRetention: RetentionDays.TWO_WEEKS, contributorInsights: false });
    expect(config({}).sesIdentity).toBeUndefined();
  });

  it('retains data in prod and requires an SES identity there', () => {
    expect(() => config({ stage: 'prod' })).toThrow(/sesIdentity/);
    expect(config({ stage: 'prod', sesIdentity: 'post.example.cn' })).toMatchObject({
      retainData: true,
      logRetention: RetentionDays.ONE_YEAR,
      mailFrom: 'noreply@post.example.cn',
    });
  });

  it('sends from the identity itself when it is an address, and refuses a From outside the identity', () => {
    expect(config({ sesIdentity: 'tousu@post.example.cn' }).mailFrom).toBe('tousu@post.example.cn');
    expect(() => config({ sesIdentity: 'post.example.cn', mailFrom: 'x@other.example.com' })).toThrow(/mailFrom/);
  });

  it('takes a Cognito hosted-UI prefix Cognito would accept, and refuses one it would not', () => {
    expect(config({ consoleAuthDomainPrefix: 'tousu-staff-prod' }).consoleAuthDomainPrefix).toBe('tousu-staff-prod');
    expect(config({}).consoleAuthDomainPrefix).toBeUndefined();
    for (const bad of ['Tousu', 'tousu_staff', '-tousu', 'my-cognito-login', 'aws-staff'])
      expect(() => config({ consoleAuthDomainPrefix: bad }), bad).toThrow(/consoleAuthDomainPrefix/);
  });

  it('rejects an unknown stage and half-given pairs of parameters', () => {
    expect(() => config({ stage: 'staging' })).toThrow(/stage/);
    expect(() => config({ jwtIssuer: 'https://idp.example.cn' })).toThrow(/jwtAudience/);
    expect(() => config({ webDomainName: 'tousu.example.cn' })).toThrow(/webCertificateArn/);
  });

  it('splits a comma-separated JWT audience and checks ARNs', () => {
    expect(config({ jwtIssuer: 'https://idp.example.cn', jwtAudience: 'a, b' }).jwt).toEqual({ issuer: 'https://idp.example.cn', audience: ['a', 'b'] });
    expect(() => config({ smsOriginationIdentityArn: 'phone-123' })).toThrow(/ARN/);
    expect(() => config({ smsOriginationIdentityArn: 'arn:aws:sns:ap-east-1:123456789012:topic' })).toThrow(/sms-voice/);
    expect(config({ contributorInsights: 'true' }).contributorInsights).toBe(true);
  });

  it('reads the breach-spike threshold from -c or cdk.json, 20 in prod and 5 in dev by default, and refuses what is not a whole number', () => {
    expect(config({}).breachSpikeThreshold).toBe(5);
    expect(config({ stage: 'prod', sesIdentity: 'post.example.cn' }).breachSpikeThreshold).toBe(20);
    expect(config({ breachSpikeThreshold: '30' }).breachSpikeThreshold).toBe(30);
    expect(config({ breachSpikeThreshold: 12 }).breachSpikeThreshold).toBe(12);
    for (const bad of ['0', '2.5', 'many', -1]) expect(() => config({ breachSpikeThreshold: bad }), String(bad)).toThrow(/breachSpikeThreshold/);
  });

  it('puts the main stack in the given region, else the CLI’s, else us-east-1, and checks it', () => {
    expect(config({ region: 'ap-southeast-1' }).region).toBe('ap-southeast-1');
    expect(() => config({ region: 'singapore' })).toThrow(/region/);
    const saved = process.env['CDK_DEFAULT_REGION'];
    try {
      process.env['CDK_DEFAULT_REGION'] = 'ap-east-1';
      expect(config({}).region).toBe('ap-east-1');
      delete process.env['CDK_DEFAULT_REGION'];
      expect(config({}).region).toBe('us-east-1');
    } finally {
      if (saved === undefined) delete process.env['CDK_DEFAULT_REGION'];
      else process.env['CDK_DEFAULT_REGION'] = saved;
    }
  });

  it('accepts only a CLOUDFRONT-scope web ACL in us-east-1 as -c webAclArn', () => {
    expect(() => config({ webAclArn: 'arn:aws:wafv2:ap-southeast-1:123456789012:regional/webacl/x/0f0e0d0c' })).toThrow(/CLOUDFRONT/);
    expect(config({ webAclArn: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/x/0f0e0d0c' }).webAclArn).toMatch(/global\/webacl/);
  });

  it('reserves more concurrency for public functions in prod than in dev', () => {
    expect(config({}).publicConcurrency).toEqual({ intake: 10, track: 10, channel: 5 });
    expect(config({ stage: 'prod', sesIdentity: 'post.example.cn' }).publicConcurrency).toEqual({ intake: 100, track: 50, channel: 25 });
  });
});

describe('the IVR menu the bundles ship', () => {
  it('is checked by synth: a menu entry that is neither branch nor leaf stops the app before any stack is built', () => {
    // Arrange
    const app = new App();
    const broken = { ...menuJson, options: { ...menuJson.options, '5': { label: '邮件查询' } } };

    // Act & Assess
    expect(() => assemble(app, { ivrMenu: broken })).toThrow(/ivr-menu\.json is not a valid IVR menu: \$\.options\["5"\]/);
    expect(app.node.children).toHaveLength(0);
  });

  it('reads the deployed file as the schema does (the IVR function bundles it without the schema)', () => {
    // Act & Assess
    expect(assertIvrMenu()).toEqual(IVR_MENU);
  });
});
