/**
 * The SDK clients of a real run: the SDK's default credential chain (environment, shared config
 * and SSO profiles, container and instance roles) for the management account, and endpoints from
 * the SDK's own settings, so `AWS_ENDPOINT_URL=<emulator>` points every client at local mode's
 * emulator with no code of its own.
 */
import { GuardDutyClient } from '@aws-sdk/client-guardduty';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { STSClient } from '@aws-sdk/client-sts';
import type { CredentialsProvider, RolloutClients } from './types';

/**
 * Region for Organizations (a global service) and STS. The Organizations API reference: "specify
 * us-east-1 ... for all Amazon Web Services API and CLI calls made from the commercial Amazon Web
 * Services Regions outside of China", cn-northwest-1 from the China regions; GovCloud has its own
 * partition. Chosen from the first rollout region's partition.
 */
export function controlPlaneRegion(firstRegion: string): string {
  if (firstRegion.startsWith('cn-')) return 'cn-northwest-1';
  if (firstRegion.startsWith('us-gov-')) return 'us-gov-west-1';
  return 'us-east-1';
}

/**
 * Builds the clients. SDK retries are off (`maxAttempts: 1`): the rollout retries throttling itself
 * with its own bound (retry.ts), and two retry layers would multiply the attempts.
 */
export function defaultClients(regions: readonly string[]): RolloutClients {
  const region = controlPlaneRegion(regions[0] ?? 'us-east-1');
  const guardDutyClients = new Map<string, GuardDutyClient>();
  return {
    organizations: new OrganizationsClient({ region, maxAttempts: 1 }),
    sts: new STSClient({ region, maxAttempts: 1 }),
    guardDuty(guardDutyRegion: string, credentials?: CredentialsProvider): GuardDutyClient {
      const key = `${guardDutyRegion}|${credentials ? 'delegated-admin' : 'management'}`;
      let client = guardDutyClients.get(key);
      if (!client) {
        client = new GuardDutyClient({ region: guardDutyRegion, credentials, maxAttempts: 1 });
        guardDutyClients.set(key, client);
      }
      return client;
    },
  };
}
