import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Renders a resource string the way cdk-nag names it in an IAM5 finding: tokens resolved, then
 * `Ref` as `<Name>`, `Fn::GetAtt` as `<Id.Attr>` and `Fn::Join` joined (cdk-nag's
 * flatten-cfn-reference, which it does not export). Acknowledgements then follow the ARN whatever
 * the deployment's partition, region or account resolve to.
 */
function flatten(node: unknown): string {
  if (typeof node === 'string') return node;
  const obj = node as Record<string, unknown>;
  if (obj['Fn::Join']) {
    const [delimiter, items] = obj['Fn::Join'] as [string, unknown[]];
    return items.map(flatten).join(delimiter);
  }
  if (obj['Fn::GetAtt']) {
    const [resource, attribute] = obj['Fn::GetAtt'] as [string, string];
    return `<${resource}.${attribute}>`;
  }
  if (obj.Ref) return `<${obj.Ref as string}>`;
  return JSON.stringify(node);
}

/** Acknowledges cdk-nag's AwsSolutions-IAM5 finding for one wildcard resource on `scope`, with its reason. */
export function acknowledgeWildcardResource(scope: IConstruct, resource: string, reason: string): void {
  const id = `AwsSolutions-IAM5[Resource::${flatten(Stack.of(scope).resolve(resource))}]`;
  Validations.of(scope).acknowledge({ id, reason });
}

/** Acknowledges a cdk-nag rule on `scope`, with its reason. */
export function acknowledgeRule(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}
