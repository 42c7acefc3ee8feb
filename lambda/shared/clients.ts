import { GuardDutyClient } from '@aws-sdk/client-guardduty';
import { STSClient } from '@aws-sdk/client-sts';

/**
 * The one place that builds AWS SDK clients. Endpoints come from the SDK's standard settings
 * (AWS_ENDPOINT_URL_GUARDDUTY, AWS_ENDPOINT_URL_STS), so the same code reaches AWS or a local
 * emulator with no branch here.
 */

/** Temporary credentials for the member account (structurally the SDK's AwsCredentialIdentity). */
export interface MemberCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration?: Date;
}

// Administrator clients use the Lambda's own role, so one per region is reused by warm invocations.
const adminClients = new Map<string, GuardDutyClient>();
let sts: STSClient | undefined;

/** The GuardDuty client for the administrator account in `region` (cached per region). */
export function adminGuardDutyClient(region: string): GuardDutyClient {
  let client = adminClients.get(region);
  if (!client) {
    client = new GuardDutyClient({ region });
    adminClients.set(region, client);
  }
  return client;
}

/** The STS client (the Lambda's own region and role), cached. */
export function stsClient(): STSClient {
  sts ??= new STSClient({});
  return sts;
}

/**
 * A GuardDuty client for the member account in `region`, built from AssumeRole credentials.
 * Never cached: the credentials must not outlive the invocation that obtained them. The caller
 * destroys it when done.
 */
export function memberGuardDutyClient(region: string, credentials: MemberCredentials): GuardDutyClient {
  return new GuardDutyClient({ region, credentials });
}
