/**
 * The synthesized batch-part state machine, executed by aws-local-stepfunctions with the real
 * handlers and mocked SDK clients: its bounded verification rounds and its whole-part failures.
 */
import { GetMembersCommand } from '@aws-sdk/client-guardduty';
import { DEFAULT_PROTECTION_PLANS, wantedFeatures } from '../../contract/protection-plans';
import { VERIFY_ATTEMPTS } from '../../lib/batch-workflow';
import type { LocalWorkflow } from '../../local/runtime/step-functions/runner';
import type { ExecutionResult } from '../../local/runtime/step-functions/runner';
import type { AccountOutcome } from '../../contract/workflow-types';
import { GuardDutyMocks, MEMBER_ACCOUNT } from '../helpers/guardduty-mocks';
import type { RegionSetup } from '../helpers/guardduty-mocks';
import { loadLocalWorkflows } from '../helpers/local-workflows';
import type { LocalWorkflows } from '../helpers/local-workflows';

let workflow: LocalWorkflow;
let mocks: GuardDutyMocks | undefined;
let workflows: LocalWorkflows;

beforeAll(() => {
  workflows = loadLocalWorkflows();
  workflow = workflows.batchParts;
});
afterEach(() => mocks?.restore());
afterAll(() => workflows.restoreEnvironment());

const part = {
  batchId: 'batch-1',
  region: 'eu-west-1',
  part: 'eu-west-1-0',
  accounts: [{ accountId: MEMBER_ACCOUNT, email: 'member@example.com' }],
  invitationMessage: null,
  protectionPlans: null,
};
const PROFILE_OUTCOMES = wantedFeatures(DEFAULT_PROTECTION_PLANS).map((f) => ({ name: f.name, status: f.status }));

async function runPart(setup: RegionSetup): Promise<ExecutionResult> {
  mocks = new GuardDutyMocks({ 'eu-west-1': setup });
  return workflow.run(part, { name: 'batch-1-eu-west-1-0', retryDelayMs: 0 });
}

function output(result: ExecutionResult): { enabled: number; failed: number; accounts: AccountOutcome[] } {
  expect(result.status).toBe('SUCCEEDED');
  return result.output as { enabled: number; failed: number; accounts: AccountOutcome[] };
}

test('a fresh account goes through PrepareMembers, AcceptInvitation and one VerifyMembers, and the part reports it ENABLED', async () => {
  const result = await runPart({});
  expect(output(result)).toEqual({
    batchId: 'batch-1',
    region: 'eu-west-1',
    part: 'eu-west-1-0',
    enabled: 1,
    failed: 0,
    accounts: [
      {
        accountId: MEMBER_ACCOUNT,
        outcome: 'ENABLED',
        relationshipStatus: 'Enabled',
        memberDetectorId: 'membereuwest1',
        error: null,
        protectionPlans: PROFILE_OUTCOMES,
      },
    ],
  });
  expect(mocks!.operations().filter((o) => o === 'GetMembers')).toHaveLength(2);
});

test("once the part's memberships are verified, ApplyPartPlans brings an account that ran every feature to the batch's plans", async () => {
  mocks = new GuardDutyMocks({ 'eu-west-1': { memberStatus: 'Disabled', memberDetector: 'DISABLED' } });
  const result = await workflow.run({ ...part, protectionPlans: { AI_PROTECTION: 'ENABLED' } }, { name: 'batch-1-eu-west-1-0', retryDelayMs: 0 });
  const [account] = output(result).accounts;
  expect(account.protectionPlans).toEqual(PROFILE_OUTCOMES.map((p) => (p.name === 'AI_PROTECTION' ? { ...p, status: 'ENABLED' } : p)));
  const entered = result.events.filter((e) => e.type === 'StateEntered').map((e) => e.state!.name);
  expect(entered.indexOf('ApplyPartPlans')).toBeGreaterThan(entered.lastIndexOf('VerifyMembers'));
  expect(mocks.operations().filter((o) => o === 'UpdateMemberDetectors')).toHaveLength(1);
});

test(`a membership that never becomes Enabled is read ${VERIFY_ATTEMPTS} times, then FAILS with MembershipPending; the loop ends`, async () => {
  mocks = new GuardDutyMocks({ 'eu-west-1': {} });
  // GuardDuty keeps answering Invited, whatever the member side did.
  let reads = 0;
  mocks.guardDuty.on(GetMembersCommand).callsFake(() => {
    reads += 1;
    return { Members: reads === 1 ? [] : [{ AccountId: MEMBER_ACCOUNT, RelationshipStatus: 'Invited', Email: 'member@example.com' }], UnprocessedAccounts: [] };
  });
  const result = await workflow.run(part, { name: 'batch-1-eu-west-1-0', retryDelayMs: 0 });
  const { accounts } = output(result);
  expect(accounts).toEqual([
    expect.objectContaining({ outcome: 'FAILED', relationshipStatus: 'Invited', error: expect.objectContaining({ code: 'MembershipPending' }) }),
  ]);
  expect(reads).toBe(1 + VERIFY_ATTEMPTS);
  expect(result.events.filter((e) => e.type === 'StateEntered' && e.state?.name === 'WaitForMemberships')).toHaveLength(VERIFY_ATTEMPTS - 1);
});

test('an administrator without a detector in the region fails every account of the part with AdminDetectorMissing, and the part still succeeds', async () => {
  const result = await runPart({ adminDetector: false });
  expect(output(result)).toMatchObject({
    enabled: 0,
    failed: 1,
    accounts: [
      {
        accountId: MEMBER_ACCOUNT,
        outcome: 'FAILED',
        relationshipStatus: null,
        memberDetectorId: null,
        error: { code: 'AdminDetectorMissing', message: expect.stringContaining('no GuardDuty detector in eu-west-1') },
      },
    ],
  });
  // Only reads (a detector id cached by an earlier run is refused and looked up again): nothing is created.
  expect(new Set(mocks!.operations())).toEqual(new Set(['ListDetectors', ...(mocks!.operations().includes('GetMembers') ? ['GetMembers'] : [])]));
  expect(mocks!.calls.filter((c) => c.side === 'member')).toEqual([]);
});

test('a member role that cannot be assumed fails that account with the single enrollment error; verification reads nothing', async () => {
  mocks = new GuardDutyMocks({ 'eu-west-1': {} });
  mocks.sts.reset();
  mocks.sts.rejects(Object.assign(new Error('not authorized to perform sts:AssumeRole'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }));
  const result = await workflow.run(part, { name: 'batch-1-eu-west-1-0', retryDelayMs: 0 });
  expect(output(result).accounts).toEqual([
    expect.objectContaining({ outcome: 'FAILED', relationshipStatus: 'Invited', error: expect.objectContaining({ code: 'MemberRoleNotAssumable' }) }),
  ]);
  expect(mocks.operations().filter((o) => o === 'GetMembers')).toHaveLength(1);
});
