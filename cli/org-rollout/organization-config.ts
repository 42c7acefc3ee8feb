/** Auto-enable for the organization in one region (delegated administrator credentials). */
import { DescribeOrganizationConfigurationCommand, UpdateOrganizationConfigurationCommand } from '@aws-sdk/client-guardduty';
import type { GuardDutyClient, OrganizationFeatureConfigurationResult } from '@aws-sdk/client-guardduty';
import { withRetry } from './retry';
import type { RetryPolicy } from './retry';
import type { AutoEnableMode, RegionReport, RolloutOptions } from './types';

/** What the auto-enable step did. */
export type AutoEnableAction = RegionReport['autoEnable']['action'];

/**
 * Sets AutoEnableOrganizationMembers to NEW or ALL and the named features to the same value, unless
 * DescribeOrganizationConfiguration already shows exactly that (so a second run changes nothing).
 * Only `AutoEnableOrganizationMembers` is sent, never the deprecated `AutoEnable`: the API takes
 * "either autoEnableOrganizationMembers or autoEnable, but not both" (model doc). Features are sent
 * as `Features` (not the deprecated `DataSources`, DESIGN "Use the current APIs"); features not
 * named stay as they are.
 */
export async function ensureAutoEnable(
  client: GuardDutyClient,
  detectorId: string | undefined,
  options: Pick<RolloutOptions, 'autoEnable' | 'features'>,
  context: { dryRun: boolean; retry: RetryPolicy },
): Promise<AutoEnableAction> {
  const { dryRun, retry } = context;
  // Dry run before designation: the account is not administrator yet and cannot describe anything.
  if (detectorId === undefined) return dryRun ? 'to-update' : 'not-done';
  const current = await describe(client, detectorId, retry);
  if (matches(current, options.autoEnable, options.features)) return 'unchanged';
  if (dryRun) return 'to-update';
  await withRetry(
    () =>
      client.send(
        new UpdateOrganizationConfigurationCommand({
          DetectorId: detectorId,
          AutoEnableOrganizationMembers: options.autoEnable,
          Features: options.features.length > 0 ? options.features.map((name) => ({ Name: name, AutoEnable: options.autoEnable })) : undefined,
        }),
      ),
    retry,
  );
  return 'updated';
}

interface CurrentConfiguration {
  members: string | undefined;
  features: OrganizationFeatureConfigurationResult[];
}

/** DescribeOrganizationConfiguration, every page of features (it is paginated, model). */
async function describe(client: GuardDutyClient, detectorId: string, retry: RetryPolicy): Promise<CurrentConfiguration> {
  const features: OrganizationFeatureConfigurationResult[] = [];
  let members: string | undefined;
  let nextToken: string | undefined;
  do {
    const page = await withRetry(() => client.send(new DescribeOrganizationConfigurationCommand({ DetectorId: detectorId, NextToken: nextToken })), retry);
    members ??= page.AutoEnableOrganizationMembers;
    features.push(...(page.Features ?? []));
    nextToken = page.NextToken || undefined;
  } while (nextToken !== undefined);
  return { members, features };
}

function matches(current: CurrentConfiguration, mode: AutoEnableMode, wanted: readonly string[]): boolean {
  if (current.members !== mode) return false;
  return wanted.every((name) => current.features.find((feature) => feature.Name === name)?.AutoEnable === mode);
}
