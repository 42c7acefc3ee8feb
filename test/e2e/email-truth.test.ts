/**
 * End to end: what is true of the member's email. With invitation emails suppressed (the default)
 * GuardDuty verifies nothing, so the workflow checks the email with AWS Organizations when this
 * administrator may describe the account, before CreateMembers.
 */
import { LOCAL_ADMIN_ACCOUNT } from '../../local/runtime/stack';
import { MUTATING, callsBetween } from './local-client';
import { useSeededStack } from './seeded-stack';

const local = useSeededStack();

beforeAll(async () => {
  // An organization this administrator manages, with a suspended account in it.
  await local.client.control('POST', 'organization', {
    managementAccountId: LOCAL_ADMIN_ACCOUNT,
    accounts: [
      { accountId: LOCAL_ADMIN_ACCOUNT, email: 'security@example.com' },
      { accountId: '850000000001', email: 'root-one@example.com' },
      { accountId: '850000000002', email: 'root-two@example.com', status: 'SUSPENDED' },
    ],
  });
  await local.client.control('POST', 'accounts', { accountId: '850000000009', email: 'outside@example.com' });
});

test('an email that is not the root email Organizations knows fails with EmailMismatch naming both, and creates no member', async () => {
  const before = await local.client.callCounts();
  const result = await local.client.enrollAndWait({ accountId: '850000000001', email: 'wrong-person@example.com', regions: ['us-east-1'] });
  expect(result.regions[0]).toMatchObject({ outcome: 'FAILED', error: { code: 'EmailMismatch' } });
  expect(result.regions[0].error?.message).toContain('w***@example.com');
  expect(result.regions[0].error?.message).toContain('r***@example.com');
  expect(result.regions[0].error?.message).not.toContain('root-one@example.com');
  const calls = callsBetween(before, await local.client.callCounts());
  expect(Object.keys(calls).filter((op) => MUTATING.includes(op))).toEqual([]);
});

test('the root email (in another case) enrolls', async () => {
  const result = await local.client.enrollAndWait({ accountId: '850000000001', email: 'Root-One@example.com', regions: ['us-east-1'] });
  expect(result.regions[0]).toMatchObject({ outcome: 'ENABLED' });
});

test('a suspended account gets AccountSuspended, not advice about the member role', async () => {
  const result = await local.client.enrollAndWait({ accountId: '850000000002', email: 'root-two@example.com', regions: ['us-east-1'] });
  expect(result.regions[0]).toMatchObject({ outcome: 'FAILED', error: { code: 'AccountSuspended' } });
  expect(result.regions[0].error?.message).toMatch(/is SUSPENDED in AWS Organizations/);
  expect(result.regions[0].error?.message).not.toMatch(/member-role/);
});

test('a batch checks each account the same way', async () => {
  const started = await local.client.batch({
    accounts: [
      { accountId: '850000000002', email: 'root-two@example.com' },
      { accountId: '850000000001', email: 'nobody@example.com' },
    ],
    regions: ['eu-west-1'],
  });
  const batch = await local.client.waitForBatch(started.json.batchId);
  const codes = (await local.client.batchOutcomes(batch)).map((o) => [o.accountId, o.error?.code]);
  expect(codes.sort()).toEqual([
    ['850000000001', 'EmailMismatch'],
    ['850000000002', 'AccountSuspended'],
  ]);
});

test('an account Organizations cannot describe (outside the organization) is not checked: with emails suppressed, a wrong email ends ENABLED', async () => {
  const result = await local.client.enrollAndWait({ accountId: '850000000009', email: 'not-the-root@example.com', regions: ['us-east-1'] });
  expect(result.regions[0]).toMatchObject({ outcome: 'ENABLED' });
});
