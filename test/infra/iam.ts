/** Reading IAM statements out of a synthesised template, for the least-privilege tests. */
import type { Template } from 'aws-cdk-lib/assertions';
import type { CfnElement, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

export interface Statement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

interface PolicyResource {
  Properties: { PolicyDocument: { Statement: Statement[] }; Roles?: { Ref: string }[] };
}

export const actionsOf = (s: Statement): string[] => (Array.isArray(s.Action) ? s.Action : [s.Action]);
export const resourcesOf = (s: Statement): unknown[] => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]);

/** The logical id of a construct's CloudFormation resource (its default child). */
export function logicalId(stack: Stack, construct: IConstruct): string {
  return stack.getLogicalId(construct.node.defaultChild as CfnElement);
}

/** Every Allow statement of every identity policy in the template, with the policy's logical id. */
export function allStatements(template: Template): { policy: string; roles: string[]; statement: Statement }[] {
  const policies = template.findResources('AWS::IAM::Policy') as Record<string, PolicyResource>;
  return Object.entries(policies).flatMap(([policy, resource]) =>
    resource.Properties.PolicyDocument.Statement.filter((s) => s.Effect === 'Allow').map((statement) => ({
      policy,
      roles: (resource.Properties.Roles ?? []).map((r) => r.Ref),
      statement,
    })),
  );
}

/** The Allow statements that apply to one role (attached policies; the stack's roles carry no inline ones). */
export function statementsOfRole(template: Template, roleLogicalId: string): Statement[] {
  return allStatements(template)
    .filter((s) => s.roles.includes(roleLogicalId))
    .map((s) => s.statement);
}

/** The statements of a role that grant `action`. */
export function granting(template: Template, roleLogicalId: string, action: string): Statement[] {
  return statementsOfRole(template, roleLogicalId).filter((s) => actionsOf(s).includes(action));
}

export const getAtt = (id: string, attribute = 'Arn') => ({ 'Fn::GetAtt': [id, attribute] });
