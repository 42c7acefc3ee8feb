/** STS through the real JS SDK v3 STSClient: caller identity, AssumeRole trust, ExternalId and input checks. */
import { ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AssumeRoleCommandInput } from '@aws-sdk/client-sts';
import {
  ADMIN,
  EXTERNAL_ID,
  MEMBER,
  MEMBER_EMAIL,
  OTHER_ADMIN,
  ROLE_NAME,
  assumeMemberRole,
  failure,
  guardDuty,
  roleArn,
  seedAccount,
  staticCredentials,
  sts,
  useSeededEmulator,
} from './helpers';

const emulator = useSeededEmulator();

function assume(input: Partial<AssumeRoleCommandInput>, credentials = staticCredentials(ADMIN), region?: string) {
  return sts(emulator.url, credentials, region).send(
    new AssumeRoleCommand({ RoleArn: roleArn(MEMBER), RoleSessionName: 'enrollment', ExternalId: EXTERNAL_ID, ...input }),
  );
}

function deniedMessage(callerArn: string, arn = roleArn(MEMBER)): string {
  return `User: ${callerArn} is not authorized to perform: sts:AssumeRole on resource: ${arn}`;
}

describe('GetCallerIdentity', () => {
  it('names the account of a static key', async () => {
    const identity = await sts(emulator.url).send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toBe(ADMIN);
    expect(identity.Arn).toBe(`arn:aws:iam::${ADMIN}:root`);
  });

  it('names the assumed role and the member account for AssumeRole credentials', async () => {
    const credentials = await assumeMemberRole(emulator.url);
    expect(credentials.accessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    const identity = await sts(emulator.url, credentials).send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toBe(MEMBER);
    expect(identity.Arn).toBe(`arn:aws:sts::${MEMBER}:assumed-role/${ROLE_NAME}/enrollment`);
    expect(identity.UserId).toMatch(/^AROA[0-9A-F]{17}:enrollment$/);
  });

  it('answers InvalidClientTokenId (403) to an unknown key and in a disabled opt-in region', async () => {
    const unknown = await failure(sts(emulator.url, { accessKeyId: 'NOTAKEY', secretAccessKey: 'x' }).send(new GetCallerIdentityCommand({})));
    expect(unknown).toMatchObject({ name: 'InvalidClientTokenId', message: 'The security token included in the request is invalid.', status: 403 });
    await seedAccount(emulator.url, { accountId: MEMBER, email: MEMBER_EMAIL, optInRegionsDisabled: ['me-south-1'] });
    const disabled = await failure(sts(emulator.url, staticCredentials(MEMBER), 'me-south-1').send(new GetCallerIdentityCommand({})));
    expect(disabled).toMatchObject({ name: 'InvalidClientTokenId', status: 403 });
  });
});

describe('AssumeRole', () => {
  it('returns temporary credentials that expire in an hour by default', async () => {
    const before = Date.now();
    const result = await assume({});
    const after = Date.now();
    const expiration = result.Credentials?.Expiration?.getTime() ?? 0;
    // An hour after the call was answered, whenever that was (the timestamp may drop its milliseconds).
    expect(expiration).toBeGreaterThanOrEqual(before + 3600 * 1000 - 1000);
    expect(expiration).toBeLessThanOrEqual(after + 3600 * 1000);
    expect(result.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${MEMBER}:assumed-role/${ROLE_NAME}/enrollment`);
  });

  it('denies a wrong or missing ExternalId with the AccessDenied message', async () => {
    const wrong = await failure(assume({ ExternalId: 'not-the-one' }));
    expect(wrong).toMatchObject({ name: 'AccessDenied', status: 403, message: deniedMessage(`arn:aws:iam::${ADMIN}:root`) });
    const missing = await failure(assume({ ExternalId: undefined }));
    expect(missing.name).toBe('AccessDenied');
  });

  it('denies a role that does not exist, and an account seeded with no role', async () => {
    const otherName = await failure(assume({ RoleArn: roleArn(MEMBER, 'SomeOtherRole') }));
    expect(otherName.message).toBe(deniedMessage(`arn:aws:iam::${ADMIN}:root`, roleArn(MEMBER, 'SomeOtherRole')));
    await seedAccount(emulator.url, { accountId: MEMBER, email: MEMBER_EMAIL, memberRole: null });
    expect((await failure(assume({}))).name).toBe('AccessDenied');
  });

  it('denies a caller from an account the role does not trust', async () => {
    const error = await failure(assume({}, staticCredentials(OTHER_ADMIN)));
    expect(error).toMatchObject({ name: 'AccessDenied', message: deniedMessage(`arn:aws:iam::${OTHER_ADMIN}:root`) });
  });

  it('uses the role name, ExternalId and trusted account seeded for the account', async () => {
    await seedAccount(emulator.url, {
      accountId: MEMBER,
      email: MEMBER_EMAIL,
      memberRole: { name: 'OrganizationAccountAccessRole', externalId: 'org-secret', trustedAccountId: OTHER_ADMIN },
    });
    const result = await assume({ RoleArn: roleArn(MEMBER, 'OrganizationAccountAccessRole'), ExternalId: 'org-secret' }, staticCredentials(OTHER_ADMIN));
    expect(result.Credentials?.AccessKeyId).toMatch(/^ASIA/);
  });

  it('denies AssumeRole into a suspended account', async () => {
    await seedAccount(emulator.url, { accountId: MEMBER, email: MEMBER_EMAIL, status: 'SUSPENDED' });
    expect((await failure(assume({}))).name).toBe('AccessDenied');
  });

  it('answers RegionDisabledException when the member has not enabled the STS region', async () => {
    await seedAccount(emulator.url, { accountId: MEMBER, email: MEMBER_EMAIL, optInRegionsDisabled: ['af-south-1'] });
    const error = await failure(assume({}, staticCredentials(ADMIN), 'af-south-1'));
    expect(error).toMatchObject({ name: 'RegionDisabledException', status: 403 });
    expect(error.message).toContain(`STS is not activated in this region for account:${MEMBER}`);
  });

  it('validates RoleSessionName and ExternalId like the model (ValidationError, 400)', async () => {
    const shortName = await failure(assume({ RoleSessionName: 'a' }));
    expect(shortName).toMatchObject({
      name: 'ValidationError',
      status: 400,
      message: "1 validation error detected: Value 'a' at 'roleSessionName' failed to satisfy constraint: Member must have length greater than or equal to 2",
    });
    const badChars = await failure(assume({ RoleSessionName: 'has space', ExternalId: 'bad#id' }));
    expect(badChars.message).toMatch(/^2 validation errors detected: .*'roleSessionName'.*; .*'externalId'.*pattern/);
    const longName = await failure(assume({ RoleSessionName: 'x'.repeat(65) }));
    expect(longName.message).toContain('Member must have length less than or equal to 64');
  });

  it('limits role chaining to one hour', async () => {
    const memberSession = await assumeMemberRole(emulator.url);
    await seedAccount(emulator.url, {
      accountId: OTHER_ADMIN,
      email: 'other@example.com',
      memberRole: { name: ROLE_NAME, externalId: EXTERNAL_ID, trustedAccountId: MEMBER },
    });
    const error = await failure(assume({ RoleArn: roleArn(OTHER_ADMIN), DurationSeconds: 7200 }, memberSession));
    expect(error).toMatchObject({
      name: 'ValidationError',
      message: 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.',
    });
  });

  it('does not accept minted keys without their session token', async () => {
    const credentials = await assumeMemberRole(emulator.url);
    const withoutToken = guardDuty(emulator.url, { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey });
    const error = await failure(withoutToken.send(new ListDetectorsCommand({})));
    expect(error.name).toBe('UnrecognizedClientException');
  });
});
