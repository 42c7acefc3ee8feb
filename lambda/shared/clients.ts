import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GuardDutyClient } from '@aws-sdk/client-guardduty';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import { STSClient } from '@aws-sdk/client-sts';

/**
 * The one place that builds AWS SDK clients. Endpoints come from the SDK's standard settings
 * (AWS_ENDPOINT_URL_GUARDDUTY, AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL_SFN, AWS_ENDPOINT_URL_SQS,
 * AWS_ENDPOINT_URL_ORGANIZATIONS), so the same code reaches AWS or a local emulator with no branch here.
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

// Clients of the Lambda's own role and region: built once, reused by warm invocations.
let sfn: SFNClient | undefined;
let sqs: SQSClient | undefined;
let organizations: OrganizationsClient | undefined;
let eventBridge: EventBridgeClient | undefined;

/** The EventBridge client (the Lambda's own region and role), cached. */
export function eventBridgeClient(): EventBridgeClient {
  eventBridge ??= new EventBridgeClient({});
  return eventBridge;
}

/** The Step Functions client (the Lambda's own region and role), cached. */
export function sfnClient(): SFNClient {
  sfn ??= new SFNClient({});
  return sfn;
}

/** The SQS client (the Lambda's own region and role), cached. */
export function sqsClient(): SQSClient {
  sqs ??= new SQSClient({});
  return sqs;
}

/**
 * The Organizations client, cached. Organizations is a global service: the SDK's endpoint rules
 * send every region's calls to its one endpoint (us-east-1 in the aws partition).
 */
export function organizationsClient(): OrganizationsClient {
  organizations ??= new OrganizationsClient({});
  return organizations;
}
