/**
 * End to end with IAM enforced: each principal runs as itself and the emulator evaluates every call
 * with the synthesized policies, so a grant AWS would refuse fails here the way it fails on AWS.
 */
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { LOCAL_ADMIN_ACCOUNT } from '../../local/runtime/stack';
import { useSeededStack } from './seeded-stack';

// Detector deletion turned on (allowDetectorDeletion), so the member role's DeleteDetector grant is exercised.
const local = useSeededStack({ retryDelayMs: 20, settings: { allowDetectorDeletion: true } });

interface RoleView {
  accountId: string;
  roleName: string;
  arn: string;
  trustPolicy: { Statement: Array<Record<string, unknown>> };
  policies: Array<{ Statement: Array<{ Action: string | string[]; Resource: string | string[] }> }>;
}

async function roles(accountId: string): Promise<RoleView[]> {
  return ((await local.client.control('GET', `roles?accountId=${accountId}`)) as { roles: RoleView[] }).roles;
}

async function putRole(role: RoleView): Promise<void> {
  const { accountId, roleName, trustPolicy, policies } = role;
  await local.client.control('POST', 'roles', { accountId, roleName, trustPolicy, policies });
}

const actionsOf = (statement: { Action: string | string[] }) => ([] as string[]).concat(statement.Action);

async function addAccount(accountId: string) {
  const email = `owner-${accountId}@example.com`;
  await local.client.control('POST', 'accounts', { accountId, email });
  return { accountId, email };
}

test('a CreateMembers grant narrowed to a detector ARN ends the region AccessDenied, as on AWS', async () => {
  const createMemberRole = (await roles(LOCAL_ADMIN_ACCOUNT)).find((role) => role.roleName.includes('CreateMemberStep'))!;
  expect(createMemberRole).toBeDefined();
  const original = structuredClone(createMemberRole);
  // CreateMembers granted as the product granted it before it followed the Service Authorization
  // Reference: on the account's detectors. Every other action keeps its grant.
  const policy = createMemberRole.policies.find((p) => p.Statement.some((s) => actionsOf(s).includes('guardduty:CreateMembers')))!;
  for (const statement of policy.Statement) statement.Action = actionsOf(statement).filter((action) => action !== 'guardduty:CreateMembers');
  policy.Statement.push({ Action: 'guardduty:CreateMembers', Resource: `arn:aws:guardduty:*:${LOCAL_ADMIN_ACCOUNT}:detector/*`, Effect: 'Allow' } as never);
  await putRole(createMemberRole);
  try {
    const account = await addAccount('610000000001');
    const result = await local.client.enrollAndWait({ ...account, regions: ['us-east-1'] });
    expect(result.status).toBe('FAILED');
    expect(result.regions[0]).toMatchObject({ region: 'us-east-1', outcome: 'FAILED', error: { code: 'AccessDenied' } });
    expect(result.regions[0].error!.message).toContain(
      `is not authorized to perform: guardduty:CreateMembers on resource: arn:aws:guardduty:us-east-1:${LOCAL_ADMIN_ACCOUNT}:detector/`,
    );
    // AWS's reason clause, shortened in the outcome so that the advice after it fits (lambda/shared/error-size.ts).
    expect(result.regions[0].error!.message).toContain("because no identity-based policy allows it); the workflow's role needs guardduty:CreateMembers");
  } finally {
    await putRole(original);
  }
  // With the product's own grant the same account enrolls.
  const again = await local.client.enrollAndWait({ accountId: '610000000001', email: 'owner-610000000001@example.com', regions: ['us-east-1'] });
  expect(again.regions[0]).toMatchObject({ outcome: 'ENABLED', relationshipStatus: 'Enabled' });
});

test('a member role without the offboarding actions (DisassociateFromAdministratorAccount, DeleteDetector) makes offboarding fail with the README advice', async () => {
  const account = await addAccount('610000000002');
  expect((await local.client.enrollAndWait({ ...account, regions: ['us-east-1'] })).status).toBe('SUCCEEDED');
  const [memberRole] = await roles(account.accountId);
  for (const policy of memberRole.policies) {
    // The member role as deployed before offboarding existed.
    for (const statement of policy.Statement) {
      statement.Action = actionsOf(statement).filter(
        (action) => action !== 'guardduty:DisassociateFromAdministratorAccount' && action !== 'guardduty:DeleteDetector',
      );
    }
  }
  await putRole(memberRole);
  const started = await local.client.request('DELETE', `/enrollments/${account.accountId}?regions=us-east-1&deleteDetector=true`);
  expect(started.status).toBe(202);
  const result = await local.client.waitFor(started.json.enrollmentId);
  expect(result.status).toBe('FAILED');
  expect(result.regions[0]).toMatchObject({ outcome: 'FAILED', error: { code: 'AccessDenied' } });
  // The denied call and AWS's answer; the middle of AWS's text may be cut to keep the advice (error-size.ts).
  expect(result.regions[0].error!.message).toContain(
    `DeleteDetector (member side) for account ${account.accountId} in us-east-1 was denied (AccessDeniedException: User: arn:aws:sts::${account.accountId}:assumed-role/`,
  );
  expect(result.regions[0].error!.message).toContain(
    'the member role needs guardduty:DisassociateFromAdministratorAccount and guardduty:DeleteDetector: redeploy the member-role stack',
  );
});

test('a principal other than the one the member role trusts is denied AssumeRole even with the right ExternalId', async () => {
  const account = await addAccount('610000000003');
  const [memberRole] = await roles(account.accountId);
  const externalId = local.stack.settings.externalId;
  // The administrator account's root: the trust names the account, narrowed by aws:PrincipalArn to the workflow's role.
  const root = new STSClient({
    region: 'us-east-1',
    endpoint: local.stack.emulatorUrl,
    credentials: { accessKeyId: `AKID${LOCAL_ADMIN_ACCOUNT}`, secretAccessKey: 'x' },
  });
  const denied = await root
    .send(new AssumeRoleCommand({ RoleArn: memberRole.arn, RoleSessionName: 'not-the-workflow', ExternalId: externalId }))
    .catch((error: Error) => error);
  expect(denied).toMatchObject({
    name: 'AccessDenied',
    message: `User: arn:aws:iam::${LOCAL_ADMIN_ACCOUNT}:root is not authorized to perform: sts:AssumeRole on resource: ${memberRole.arn}`,
  });

  // Through the workflow: a member role that trusts another role of the administrator account refuses the workflow's.
  for (const statement of memberRole.trustPolicy.Statement) {
    const condition = statement.Condition as { StringEquals: Record<string, string> };
    condition.StringEquals['aws:PrincipalArn'] = `arn:aws:iam::${LOCAL_ADMIN_ACCOUNT}:role/SomeOtherRole`;
  }
  await putRole(memberRole);
  const result = await local.client.enrollAndWait({ ...account, regions: ['us-east-1'] });
  expect(result.regions[0]).toMatchObject({ outcome: 'FAILED', error: { code: 'MemberRoleNotAssumable' } });
  expect(result.regions[0].error!.message).toContain('is not authorized to perform: sts:AssumeRole');
});

test("a peer's member role (aws-samples EnableGuardDuty.yaml: the administrator's root trusted, no ExternalId) can be expressed and inspected", async () => {
  const peerRole = {
    accountId: '610000000004',
    roleName: 'ManageGuardDuty',
    trustPolicy: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${LOCAL_ADMIN_ACCOUNT}:root` }, Action: 'sts:AssumeRole' }],
    },
    policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'guardduty:*', Resource: '*' }] }],
  };
  await local.client.control('POST', 'roles', peerRole);
  const shown = (await local.client.control('GET', `roles/${peerRole.accountId}/ManageGuardDuty`)) as RoleView;
  expect(shown).toMatchObject({
    arn: `arn:aws:iam::${peerRole.accountId}:role/ManageGuardDuty`,
    trustPolicy: peerRole.trustPolicy,
    policies: peerRole.policies,
  });
  const root = new STSClient({
    region: 'us-east-1',
    endpoint: local.stack.emulatorUrl,
    credentials: { accessKeyId: `AKID${LOCAL_ADMIN_ACCOUNT}`, secretAccessKey: 'x' },
  });
  const assumed = await root.send(new AssumeRoleCommand({ RoleArn: shown.arn, RoleSessionName: 'peer-script' }));
  expect(assumed.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${peerRole.accountId}:assumed-role/ManageGuardDuty/peer-script`);
});
