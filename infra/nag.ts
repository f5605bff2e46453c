/**
 * cdk-nag (v3) on the whole app, and the one way this code base acknowledges a finding.
 *
 * cdk-nag 3 is a CDK policy-validation plugin: `Validations.of(app).addPlugins(...)` runs it during
 * synthesis and synthesis fails on any unacknowledged error. Warnings fail too because `cdk.json` sets
 * `@aws-cdk/core:strictCfnValidateErrors`. v3 has no `NagSuppressions`: a finding is acknowledged with
 * `Validations.of(construct).acknowledge({ id, reason })` on the narrowest construct, and a finding with a
 * detail (IAM5's `Resource::…`) must be acknowledged with exactly that detail.
 */
import { Stack, Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/** Registers the AwsSolutions pack on the app (call once, after the stacks exist or before: it runs at synth). */
export function applyNag(app: App): AwsSolutionsChecks {
  const pack = new AwsSolutionsChecks(app, { verbose: true });
  Validations.of(app).addPlugins(pack);
  return pack;
}

/** Acknowledges one cdk-nag rule on one construct (and its children), with the reason it does not apply. */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

/**
 * Renders a policy resource the way cdk-nag's IAM5 rule names its finding: `Fn::Join` concatenated,
 * `Ref` as `<Name>`, `Fn::GetAtt` as `<Name.Attr>`, `${…}` as `<…>` (cdk-nag's `flattenCfnReference`,
 * which the package does not export).
 */
export function nagResourceName(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (typeof value === 'object' && value !== null) {
    const node = value as Record<string, unknown>;
    if (Array.isArray(node['Fn::Join'])) {
      const [delimiter, items] = node['Fn::Join'] as [string, unknown[]];
      return items.map(nagResourceName).join(delimiter);
    }
    if (node['Fn::Sub'] !== undefined) return nagResourceName(node['Fn::Sub']);
    if (Array.isArray(node['Fn::GetAtt'])) {
      const [resource, attribute] = node['Fn::GetAtt'] as [unknown, unknown];
      return `<${nagResourceName(resource)}.${nagResourceName(attribute)}>`;
    }
    if (node['Fn::ImportValue'] !== undefined) return nagResourceName(node['Fn::ImportValue']);
    if (node['Ref'] !== undefined) return `<${nagResourceName(node['Ref'])}>`;
  }
  return JSON.stringify(value);
}

/**
 * Acknowledges one `AwsSolutions-IAM5` wildcard finding (a resource with `*`) on the construct holding
 * the policy, naming the exact resource so that no other wildcard slips through under the same id.
 */
export function acknowledgeWildcard(scope: IConstruct, resource: string, reason: string): void {
  acknowledge(scope, `AwsSolutions-IAM5[Resource::${nagResourceName(Stack.of(scope).resolve(resource))}]`, reason);
}
