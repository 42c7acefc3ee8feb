/**
 * The regions where GuardDuty runs, per AWS partition (docs/aws-facts.md, Regions). The API accepts exactly
 * these names, so a well-formed name that is no GuardDuty region (`us-east-9`) is refused with a
 * 400 naming it, instead of failing later with advice that cannot be followed.
 *
 * Source: botocore `botocore/data/endpoints.json`, the `regions` of each partition whose
 * `services.guardduty.endpoints` has that region (2026-08). To update: read that file (or
 * `aws ssm get-parameters-by-path --path /aws/service/global-infrastructure/services/guardduty/regions`),
 * change the lists here and the "Regions" section of docs/aws-facts.md together.
 */

/** Commercial regions enabled in every account (launched before 2019-03-20; docs/aws-facts.md, Regions). */
export const DEFAULT_ENABLED_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'sa-east-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
] as const;

/** Commercial opt-in regions: an account must enable each before GuardDuty works there (RegionNotEnabled). */
export const OPT_IN_REGIONS = [
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-south-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'ca-west-1',
  'eu-central-2',
  'eu-south-1',
  'eu-south-2',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'mx-central-1',
] as const;

/** GuardDuty's regions in each partition. */
export const GUARDDUTY_REGIONS_BY_PARTITION: Readonly<Record<string, readonly string[]>> = {
  aws: [...DEFAULT_ENABLED_REGIONS, ...OPT_IN_REGIONS],
  'aws-cn': ['cn-north-1', 'cn-northwest-1'],
  'aws-us-gov': ['us-gov-east-1', 'us-gov-west-1'],
  'aws-eusc': ['eusc-de-east-1'],
};

/**
 * Every GuardDuty region of every partition: what the API accepts. One list for all partitions,
 * because a stack synthesized without a fixed region does not know its partition; a region of
 * another partition than the deployment's fails at its first call, not as an unknown name.
 */
export const GUARDDUTY_REGIONS: readonly string[] = Object.values(GUARDDUTY_REGIONS_BY_PARTITION).flat();

/** Whether `name` is a region where GuardDuty runs (in some partition). */
export function isGuardDutyRegion(name: unknown): name is string {
  return typeof name === 'string' && GUARDDUTY_REGIONS.includes(name);
}

/**
 * The sentence that refuses an unknown region, the same from the API, the workflow and the settings.
 * No double quote or backslash: a mapping template puts it inside a JSON string as it is.
 */
export function unknownRegionMessage(name: string): string {
  return `region '${name}' is not a region where GuardDuty runs; the README's Regions section lists them`;
}
