import { CreateMembersCommand, GuardDutyClient, InviteMembersCommand, ListDetectorsCommand, ListInvitationsCommand } from '@aws-sdk/client-guardduty';
import { LOCAL_ADMIN_ACCOUNT } from '../../local/runtime/stack';
import type { LocalStack } from '../../local/runtime/stack';
import type { LocalClient } from './local-client';

/** A GuardDuty client acting as a person or program in `accountId` (its root key in the emulator). */
export function guardDutyAs(stack: LocalStack, accountId: string, region: string): GuardDutyClient {
  return new GuardDutyClient({ region, endpoint: stack.emulatorUrl, credentials: { accessKeyId: `AKID${accountId}`, secretAccessKey: 'x' } });
}

/** The account's own detector id in the region. */
export async function detectorOf(stack: LocalStack, accountId: string, region: string): Promise<string> {
  const { DetectorIds } = await guardDutyAs(stack, accountId, region).send(new ListDetectorsCommand({}));
  if (!DetectorIds?.[0]) throw new Error(`${accountId} has no detector in ${region}`);
  return DetectorIds[0];
}

/** What a person does in the administrator's console: add an account as a member and invite it, outside the API. */
export async function addMemberByHand(
  stack: LocalStack,
  account: { accountId: string; email: string },
  region: string,
  emailNotification = false,
): Promise<void> {
  const admin = guardDutyAs(stack, LOCAL_ADMIN_ACCOUNT, region);
  const DetectorId = await detectorOf(stack, LOCAL_ADMIN_ACCOUNT, region);
  await admin.send(new CreateMembersCommand({ DetectorId, AccountDetails: [{ AccountId: account.accountId, Email: account.email }] }));
  await admin.send(new InviteMembersCommand({ DetectorId, AccountIds: [account.accountId], DisableEmailNotification: !emailNotification }));
}

/** The member's pending invitation ids in the region. */
export async function invitationIds(stack: LocalStack, accountId: string, region: string): Promise<string[]> {
  const { Invitations } = await guardDutyAs(stack, accountId, region).send(new ListInvitationsCommand({}));
  return (Invitations ?? []).map((i) => i.AccountId as string);
}

export interface FleetCheckView {
  checkId: string;
  status: string;
  mode: string | null;
  regions: { region: string; counts: Record<string, number>; error: unknown; parts: { partId: string; driftedUrl: string }[] }[];
  totals: Record<string, number>;
}

export interface DriftedView {
  accountId: string;
  reason: string;
  relationshipStatus: string | null;
  action: string;
  repairBatchId: string | null;
}

/** Starts a fleet check through the API and waits until the check route says it stopped. */
export async function runFleetCheck(client: LocalClient): Promise<FleetCheckView> {
  const started = await client.request('POST', '/fleet-checks');
  if (started.status !== 202) throw new Error(`POST /fleet-checks answered ${started.status}: ${started.text}`);
  return waitForFleetCheck(client, started.json.checkId);
}

/** Waits for the check's execution to stop (no deadline: a slow machine only takes longer), then reads it through the API. */
export async function waitForFleetCheck(client: LocalClient, checkId: string): Promise<FleetCheckView> {
  for (;;) {
    await client.fleetCheckStopped(checkId);
    const { status, json, text } = await client.request('GET', `/fleet-checks/${checkId}`);
    if (status !== 200) throw new Error(`GET /fleet-checks/${checkId} answered ${status}: ${text}`);
    if (json.status !== 'RUNNING') return json as FleetCheckView;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Every drifted account-region of a check, read part by part (the paged route). */
export async function driftedOf(client: LocalClient, check: FleetCheckView): Promise<(DriftedView & { region: string })[]> {
  const all: (DriftedView & { region: string })[] = [];
  for (const region of check.regions) {
    for (const part of region.parts) {
      const { status, json, text } = await client.request('GET', part.driftedUrl.replace(/^\/v1/, ''));
      if (status !== 200) throw new Error(`GET ${part.driftedUrl} answered ${status}: ${text}`);
      all.push(...(json.drifted as DriftedView[]).map((d) => ({ ...d, region: region.region })));
    }
  }
  return all;
}
