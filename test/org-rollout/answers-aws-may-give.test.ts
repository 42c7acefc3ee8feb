/**
 * Answers the live services may give that the emulator does not produce, with the SDK clients
 * mocked (aws-sdk-client-mock): an empty ListAccounts page that still has a NextToken, accounts
 * with only the older Status field, CreateMembers results the rollout has not seen before.
 */
import { CreateMembersCommand, GuardDutyClient } from '@aws-sdk/client-guardduty';
import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { mockClient } from 'aws-sdk-client-mock';
import { listAccounts } from '../../cli/org-rollout/accounts';
import { createMembersInBatches } from '../../cli/org-rollout/members';
import { defaultRetryPolicy, withRetry } from '../../cli/org-rollout/retry';

const retry = { ...defaultRetryPolicy(async () => undefined), random: () => 0 };

describe('listing the organization', () => {
  const organizations = mockClient(OrganizationsClient);
  afterEach(() => organizations.reset());

  it('keeps asking while NextToken is present, even after an empty page', async () => {
    organizations
      .on(ListAccountsCommand, { NextToken: undefined })
      .resolves({ Accounts: [], NextToken: 'page-2' })
      .on(ListAccountsCommand, { NextToken: 'page-2' })
      .resolves({ Accounts: [{ Id: '200000000001', Email: 'a@example.com', Status: 'ACTIVE' }], NextToken: 'page-3' })
      .on(ListAccountsCommand, { NextToken: 'page-3' })
      .resolves({ Accounts: [{ Id: '200000000002', Email: 'b@example.com', Status: 'ACTIVE' }] });

    const inventory = await listAccounts(new OrganizationsClient({ region: 'us-east-1' }), retry);

    expect(inventory.active.map((a) => a.accountId)).toEqual(['200000000001', '200000000002']);
    expect(organizations.commandCalls(ListAccountsCommand)).toHaveLength(3);
  });

  it('reads the lifecycle from State when present and from Status otherwise', async () => {
    organizations.on(ListAccountsCommand).resolves({
      Accounts: [
        { Id: '200000000001', Email: 'a@example.com', Status: 'ACTIVE', State: 'PENDING_ACTIVATION' },
        { Id: '200000000002', Email: 'b@example.com', Status: 'SUSPENDED', State: 'CLOSED' },
        { Id: '200000000003', Email: 'c@example.com', Status: 'ACTIVE' },
        { Id: '200000000004', Status: 'ACTIVE', State: 'ACTIVE' },
      ],
    });

    const inventory = await listAccounts(new OrganizationsClient({ region: 'us-east-1' }), retry);

    expect(inventory.active.map((a) => a.accountId)).toEqual(['200000000003']);
    expect(inventory.skipped).toEqual([
      { accountId: '200000000001', name: undefined, reason: 'account is PENDING_ACTIVATION, not ACTIVE' },
      { accountId: '200000000002', name: undefined, reason: 'account is CLOSED, not ACTIVE' },
      { accountId: '200000000004', name: undefined, reason: 'ListAccounts returned no email for it' },
    ]);
  });
});

describe('reading CreateMembers results', () => {
  const guardDuty = mockClient(GuardDutyClient);
  afterEach(() => guardDuty.reset());

  const accounts = ['200000000001', '200000000002', '200000000003', '200000000004'].map((accountId) => ({
    accountId,
    email: `${accountId}@example.com`,
    name: undefined,
  }));

  it('sorts UnprocessedAccounts by message: already a member (when it was associated) or a failure with the text as given', async () => {
    guardDuty.on(CreateMembersCommand).resolves({
      UnprocessedAccounts: [
        {
          AccountId: '200000000002',
          Result: 'The request is rejected because the given account ID is already a member or associated member of the current account.',
        },
        {
          AccountId: '200000000003',
          Result: 'The request is rejected because the given account ID is already a member or associated member of the current account.',
        },
        { AccountId: '200000000004', Result: 'Internal error' },
      ],
    });
    const before = new Map([
      ['200000000002', 'Enabled'],
      ['200000000003', 'Resigned'],
    ]);

    const outcome = await createMembersInBatches(new GuardDutyClient({ region: 'us-east-1' }), 'd1', accounts, before, retry);

    expect(outcome.created).toEqual(['200000000001']);
    expect(outcome.alreadyMembers).toEqual(['200000000002']);
    expect(outcome.failures).toEqual([
      { accountId: '200000000003', message: expect.stringContaining('member record exists with RelationshipStatus Resigned') },
      { accountId: '200000000004', message: 'Internal error' },
    ]);
  });

  it('sends at most 50 accounts per call', async () => {
    guardDuty.on(CreateMembersCommand).resolves({ UnprocessedAccounts: [] });
    const many = Array.from({ length: 101 }, (_, i) => ({ accountId: String(200_000_000_000 + i), email: `m${i}@example.com`, name: undefined }));

    const outcome = await createMembersInBatches(new GuardDutyClient({ region: 'us-east-1' }), 'd1', many, new Map(), retry);

    expect(guardDuty.commandCalls(CreateMembersCommand).map((call) => call.args[0].input.AccountDetails?.length)).toEqual([50, 50, 1]);
    expect(outcome.calls).toBe(3);
    expect(outcome.created).toHaveLength(101);
  });
});

describe('retrying', () => {
  it('retries throttling and 5xx with growing, capped, jittered waits, and nothing else', async () => {
    const waits: number[] = [];
    const policy = { maxAttempts: 5, baseMs: 100, capMs: 300, random: () => 0.999, sleep: async (ms: number) => void waits.push(ms) };
    const throttle = Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' });
    const badRequest = Object.assign(new Error('invalid'), { name: 'BadRequestException', $metadata: { httpStatusCode: 400 } });
    let attempts = 0;

    await expect(
      withRetry(async () => {
        attempts += 1;
        throw throttle;
      }, policy),
    ).rejects.toBe(throttle);
    expect(attempts).toBe(5);
    expect(waits).toEqual([99, 199, 299, 299]);

    attempts = 0;
    await expect(
      withRetry(async () => {
        attempts += 1;
        throw badRequest;
      }, policy),
    ).rejects.toBe(badRequest);
    expect(attempts).toBe(1);
  });
});
