/**
 * The emulator's AWS Organizations (JSON 1.1) through the real JS SDK: ListAccounts and
 * DescribeOrganization, who may call them, pagination, errors, faults, and the organization's
 * access role for STS AssumeRole.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { EnableOrganizationAdminAccountCommand } from '@aws-sdk/client-guardduty';
import { DescribeOrganizationCommand, ListAccountsCommand } from '@aws-sdk/client-organizations';
import type { Account } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ADMIN, MANAGEMENT, control, credentialsOf, failure, guardDutyAs, memberId, organizationsAs, seedOrganization, useEmulator } from './helpers';

const emulator = useEmulator();
const run = promisify(execFile);

describe('ListAccounts', () => {
  it('pages with MaxResults and NextToken until NextToken is absent, in the order accounts joined', async () => {
    const org = await seedOrganization(emulator.url, { total: 23 });
    const client = organizationsAs(emulator.url, MANAGEMENT);
    const pages: Account[][] = [];
    let NextToken: string | undefined;
    do {
      const page = await client.send(new ListAccountsCommand({ MaxResults: 10, NextToken }));
      pages.push(page.Accounts ?? []);
      NextToken = page.NextToken;
    } while (NextToken);

    expect(pages.map((page) => page.length)).toEqual([10, 10, 3]);
    expect(pages.flat().map((account) => account.Id)).toEqual(org.accounts.map((account) => account.accountId));
  });

  it('returns 20 accounts per page when MaxResults is not given', async () => {
    await seedOrganization(emulator.url, { total: 21 });

    const first = await organizationsAs(emulator.url, MANAGEMENT).send(new ListAccountsCommand({}));

    expect(first.Accounts).toHaveLength(20);
    expect(first.NextToken).toEqual(expect.any(String));
  });

  it('shows Id, Arn, Email, Name, Status, the newer State, JoinedMethod and JoinedTimestamp', async () => {
    await seedOrganization(emulator.url, { total: 6, inactive: 3 });

    const { Accounts: accounts } = await organizationsAs(emulator.url, MANAGEMENT).send(new ListAccountsCommand({}));
    const { Organization: organization } = await organizationsAs(emulator.url, MANAGEMENT).send(new DescribeOrganizationCommand({}));

    expect(accounts![1]).toEqual({
      Id: ADMIN,
      Arn: `arn:aws:organizations::${MANAGEMENT}:account/${organization!.Id}/${ADMIN}`,
      Email: 'security@example.com',
      Name: 'Security',
      Status: 'ACTIVE',
      State: 'ACTIVE',
      JoinedMethod: 'CREATED',
      JoinedTimestamp: expect.any(Date),
    });
    expect(accounts!.slice(3).map((a) => [a.Status, a.State])).toEqual([
      ['SUSPENDED', 'SUSPENDED'],
      ['PENDING_CLOSURE', 'PENDING_CLOSURE'],
      // The older Status field has no CLOSED value.
      ['SUSPENDED', 'CLOSED'],
    ]);
  });

  it("refuses a member account with AccessDeniedException and AWS's text, until it is GuardDuty's delegated administrator", async () => {
    await seedOrganization(emulator.url, { total: 4 });

    const denied = await failure(organizationsAs(emulator.url, ADMIN).send(new ListAccountsCommand({})));
    await guardDutyAs(emulator.url, MANAGEMENT, 'us-east-1').send(new EnableOrganizationAdminAccountCommand({ AdminAccountId: ADMIN }));
    const allowed = await organizationsAs(emulator.url, ADMIN).send(new ListAccountsCommand({}));

    expect(denied).toEqual({ name: 'AccessDeniedException', message: "You don't have permissions to access this resource.", status: 400, reason: undefined });
    expect(allowed.Accounts).toHaveLength(4);
  });

  it('answers AWSOrganizationsNotInUseException to an account in no organization', async () => {
    await seedOrganization(emulator.url, { total: 3 });

    const error = await failure(organizationsAs(emulator.url, '444444444444').send(new ListAccountsCommand({})));

    expect(error).toMatchObject({ name: 'AWSOrganizationsNotInUseException', message: 'Your account is not a member of an organization.', status: 400 });
  });

  it('refuses MaxResults above 20 and a NextToken it did not issue with InvalidInputException and its Reason', async () => {
    await seedOrganization(emulator.url, { total: 3 });
    const client = organizationsAs(emulator.url, MANAGEMENT);

    expect(await failure(client.send(new ListAccountsCommand({ MaxResults: 21 })))).toMatchObject({
      name: 'InvalidInputException',
      reason: 'MAX_VALUE_EXCEEDED',
    });
    expect(await failure(client.send(new ListAccountsCommand({ MaxResults: 0 })))).toMatchObject({
      name: 'InvalidInputException',
      reason: 'MIN_VALUE_EXCEEDED',
    });
    expect(await failure(client.send(new ListAccountsCommand({ NextToken: 'bm90LWEtdG9rZW4=' })))).toMatchObject({
      name: 'InvalidInputException',
      reason: 'INVALID_NEXT_TOKEN',
    });
  });

  it('throttles with TooManyRequestsException when a fault is injected, and counts the calls', async () => {
    await seedOrganization(emulator.url, { total: 3 });
    await control(emulator.url, 'POST', '/_emulator/faults', { operation: 'ListAccounts', error: 'throttle', count: 1 }, 201);
    const client = organizationsAs(emulator.url, MANAGEMENT);

    expect(await failure(client.send(new ListAccountsCommand({})))).toMatchObject({ name: 'TooManyRequestsException', status: 400 });
    expect((await client.send(new ListAccountsCommand({}))).Accounts).toHaveLength(3);
    const { calls } = await control<{ calls: Array<{ operation: string; accountId: string; count: number }> }>(emulator.url, 'GET', '/_emulator/calls');
    expect(calls).toContainEqual({ service: 'organizations', operation: 'ListAccounts', accountId: MANAGEMENT, region: 'us-east-1', count: 2 });
  });
});

describe('DescribeOrganization', () => {
  it('answers any account of the organization with the management account', async () => {
    await seedOrganization(emulator.url, { total: 3 });

    const { Organization: organization } = await organizationsAs(emulator.url, memberId(0)).send(new DescribeOrganizationCommand({}));

    expect(organization).toMatchObject({
      Id: expect.stringMatching(/^o-[a-z0-9]{10,32}$/),
      FeatureSet: 'ALL',
      MasterAccountId: MANAGEMENT,
      MasterAccountEmail: 'management@example.com',
      MasterAccountArn: `arn:aws:organizations::${MANAGEMENT}:account/${organization!.Id}/${MANAGEMENT}`,
    });
  });
});

describe("the organization's access role", () => {
  it('lets the management account assume OrganizationAccountAccessRole in a member without ExternalId; others are denied', async () => {
    await seedOrganization(emulator.url, { total: 3 });
    const roleArn = `arn:aws:iam::${memberId(0)}:role/OrganizationAccountAccessRole`;
    const fromManagement = new STSClient({ endpoint: emulator.url, region: 'us-east-1', credentials: credentialsOf(MANAGEMENT), maxAttempts: 1 });
    const fromAdmin = new STSClient({ endpoint: emulator.url, region: 'us-east-1', credentials: credentialsOf(ADMIN), maxAttempts: 1 });

    const { Credentials: c } = await fromManagement.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'test' }));
    const assumed = new STSClient({
      endpoint: emulator.url,
      region: 'us-east-1',
      credentials: { accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken },
      maxAttempts: 1,
    });

    expect((await assumed.send(new GetCallerIdentityCommand({}))).Account).toBe(memberId(0));
    expect(await failure(fromAdmin.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'test' })))).toMatchObject({ name: 'AccessDenied' });
  });
});

describe('the control API', () => {
  it('refuses an account of another organization, an unknown field and a missing management email', async () => {
    await seedOrganization(emulator.url, { total: 3 });

    const other = await fetch(`${emulator.url}/_emulator/organization`, {
      method: 'POST',
      body: JSON.stringify({
        managementAccountId: '555555555555',
        accounts: [
          { accountId: '555555555555', email: 'm2@example.com' },
          { accountId: ADMIN, email: 'x@example.com' },
        ],
      }),
    });
    const typo = await fetch(`${emulator.url}/_emulator/organization`, {
      method: 'POST',
      body: JSON.stringify({ managementAccountId: MANAGEMENT, accounts: [{ accountId: ADMIN, email: 'security@example.com', stauts: 'SUSPENDED' }] }),
    });
    const noManagement = await fetch(`${emulator.url}/_emulator/organization`, {
      method: 'POST',
      body: JSON.stringify({ managementAccountId: '666666666666', accounts: [] }),
    });

    expect(other.status).toBe(400);
    expect(((await other.json()) as { message: string }).message).toContain('already belongs to organization');
    expect(typo.status).toBe(400);
    expect(((await typo.json()) as { message: string }).message).toContain('Unknown field(s) in accounts[0]: stauts');
    expect(noManagement.status).toBe(400);
  });

  it("suspending an account through the organization stops its credentials, as a suspended account's do", async () => {
    await seedOrganization(emulator.url, { total: 3 });
    await control(emulator.url, 'POST', '/_emulator/organization', {
      managementAccountId: MANAGEMENT,
      accounts: [{ accountId: memberId(0), email: 'member-0@example.com', status: 'SUSPENDED' }],
    });

    const sts = new STSClient({ endpoint: emulator.url, region: 'us-east-1', credentials: credentialsOf(memberId(0)), maxAttempts: 1 });

    expect(await failure(sts.send(new GetCallerIdentityCommand({})))).toMatchObject({ name: 'InvalidClientTokenId' });
  });
});

describe('other SDKs', () => {
  it('boto3 lists accounts and organization admin accounts through AWS_ENDPOINT_URL', async () => {
    await seedOrganization(emulator.url, { total: 25 });
    await guardDutyAs(emulator.url, MANAGEMENT, 'us-east-1').send(new EnableOrganizationAdminAccountCommand({ AdminAccountId: ADMIN }));
    const script = `
import json, boto3
orgs = boto3.client('organizations', region_name='us-east-1')
ids = [a['Id'] for page in orgs.get_paginator('list_accounts').paginate() for a in page['Accounts']]
gd = boto3.client('guardduty', region_name='us-east-1')
admins = gd.list_organization_admin_accounts()['AdminAccounts']
try:
    boto3.client('organizations', region_name='us-east-1', aws_access_key_id='AKID${memberId(0)}', aws_secret_access_key='x').list_accounts()
    denied = None
except orgs.exceptions.AccessDeniedException as e:
    denied = e.response['Error']['Message']
print(json.dumps({'count': len(ids), 'admins': admins, 'denied': denied}))
`;
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      AWS_ENDPOINT_URL: emulator.url,
      AWS_ACCESS_KEY_ID: `AKID${MANAGEMENT}`,
      AWS_SECRET_ACCESS_KEY: 'x',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    const { stdout } = await run('python3', ['-c', script], { env, timeout: 30000 });

    expect(JSON.parse(stdout)).toEqual({
      count: 25,
      admins: [{ AdminAccountId: ADMIN, AdminStatus: 'ENABLED' }],
      denied: "You don't have permissions to access this resource.",
    });
  });
});
