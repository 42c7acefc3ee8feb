import './support/env';
import { CreateMembersCommand, DeleteMembersCommand, GetMembersCommand, GuardDutyClient, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../lambda/handlers/create-member';
import { adminDetectorCache } from '../../lambda/shared/admin-detector';
import { ADMIN, MEMBER, REGION } from './support/env';
import {
  ADMIN_DETECTOR,
  EMAIL,
  MASKED_EMAIL,
  MEMBER_DETECTOR,
  badRequest,
  guardDutyError,
  internalError,
  member,
  regionInput,
  thrown,
} from './support/fixtures';
import { captureLogs } from './support/logs';

const gd = mockClient(GuardDutyClient);

/** How many calls that change GuardDuty state were made. */
function mutatingCalls(): number {
  return gd.calls().filter((c) => !/^(List|Get)/.test((c.args[0] as object).constructor.name)).length;
}

/** The member is absent: GetMembers lists it as unprocessed. */
function memberAbsent(): void {
  gd.on(GetMembersCommand).resolves({
    Members: [],
    UnprocessedAccounts: [{ AccountId: MEMBER, Result: 'The request is rejected because the input account ID is not associated with the current account.' }],
  });
}

function memberIs(status: string, overrides = {}): void {
  gd.on(GetMembersCommand).resolves({ Members: [member(status, overrides)], UnprocessedAccounts: [] });
}

beforeEach(() => {
  gd.reset();
  adminDetectorCache.clear();
  gd.on(ListDetectorsCommand).resolves({ DetectorIds: [ADMIN_DETECTOR] });
  gd.on(CreateMembersCommand).resolves({ UnprocessedAccounts: [] });
  gd.on(DeleteMembersCommand).resolves({ UnprocessedAccounts: [] });
});

describe('CreateMember: a new account', () => {
  it.each([
    ['listed as unprocessed by GetMembers', memberAbsent],
    ['simply missing from GetMembers', () => gd.on(GetMembersCommand).resolves({ Members: [], UnprocessedAccounts: [] })],
  ])('is created with its account id and email when it is %s', async (_label, arrange) => {
    arrange();
    const state = await handler(regionInput({ invitationMessage: 'Welcome aboard' }));

    expect(gd.commandCalls(GetMembersCommand)[0]!.args[0].input).toEqual({ DetectorId: ADMIN_DETECTOR, AccountIds: [MEMBER] });
    const create = gd.commandCalls(CreateMembersCommand);
    expect(create).toHaveLength(1);
    expect(create[0]!.args[0].input).toEqual({ DetectorId: ADMIN_DETECTOR, AccountDetails: [{ AccountId: MEMBER, Email: EMAIL }] });
    expect(state).toEqual({
      enrollmentId: 'enr-0001',
      region: REGION,
      accountId: MEMBER,
      invitationMessage: 'Welcome aboard',
      adminDetectorId: ADMIN_DETECTOR,
      relationshipStatus: 'Created',
      memberDetectorId: null,
      // The request named no plans: later steps apply the deployment's profile alone.
      protectionPlans: null,
    });
  });

  it('does not carry the email into the next state', async () => {
    memberAbsent();
    const state = await handler(regionInput());
    expect(JSON.stringify(state)).not.toContain('example.com');
    expect(state).not.toHaveProperty('invitationMessage');
  });

  it('treats "already a member" in UnprocessedAccounts as done (a concurrent or retried create)', async () => {
    memberAbsent();
    gd.on(CreateMembersCommand).resolves({
      UnprocessedAccounts: [
        { AccountId: MEMBER, Result: 'The request is rejected because the given account ID is already a member or associated member of the current account.' },
      ],
    });
    const state = await handler(regionInput());
    expect(state.relationshipStatus).toBe('Created');
  });

  it.each([
    'The request is rejected because the current account cannot create members since it is already an associated member of another master account.',
    'The request is rejected because the current account cannot exceed the maximum number of allowed members.',
  ])('stops with AdministratorNotEligible when CreateMembers reports: %s', async (result) => {
    memberAbsent();
    gd.on(CreateMembersCommand).resolves({ UnprocessedAccounts: [{ AccountId: MEMBER, Result: result }] });
    const error = await thrown(() => handler(regionInput()));
    expect(error.name).toBe('AdministratorNotEligible');
    expect(error.message).toContain(ADMIN);
    expect(error.message).toContain(MEMBER);
    expect(error.message).toContain(REGION);
    expect(error.message).toContain(result);
  });

  it('stops with AdministratorNotEligible when the member limit comes back as an exception', async () => {
    memberAbsent();
    gd.on(CreateMembersCommand).rejects(badRequest('The request failed because you cannot exceed the maximum number of allowed members.'));
    const error = await thrown(() => handler(regionInput()));
    expect(error.name).toBe('AdministratorNotEligible');
  });

  it("stops with RequestRejected keeping GuardDuty's text for any other unprocessed result", async () => {
    memberAbsent();
    const result = 'The request is rejected because the member account is suspended.';
    gd.on(CreateMembersCommand).resolves({ UnprocessedAccounts: [{ AccountId: MEMBER, Result: result }] });
    const error = await thrown(() => handler(regionInput()));
    expect(error.name).toBe('RequestRejected');
    expect(error.message).toContain(result);
    expect(error.message).toContain(MEMBER);
    expect(error.message).toContain(REGION);
  });
});

describe('CreateMember: an existing member', () => {
  it.each(['Created', 'Invited', 'EmailVerificationInProgress', 'Enabled', 'Disabled', 'Removed', 'Resigned'])(
    'is left alone when its status is %s (no mutating call) and the status is reported',
    async (status) => {
      memberIs(status);
      const state = await handler(regionInput());
      expect(mutatingCalls()).toBe(0);
      expect(state.relationshipStatus).toBe(status);
      expect(state.memberDetectorId).toBe(MEMBER_DETECTOR);
    },
  );

  it('re-enrolling an Enabled account makes only List/Get calls', async () => {
    memberIs('Enabled');
    await handler(regionInput());
    const commands = gd.calls().map((c) => (c.args[0] as object).constructor.name);
    expect(commands).toEqual(['ListDetectorsCommand', 'GetMembersCommand']);
  });

  it('reads statuses case-insensitively (the API documents them in upper case)', async () => {
    memberIs('ENABLED');
    const state = await handler(regionInput());
    expect(state.relationshipStatus).toBe('Enabled');
  });

  it('reports a null member detector id when GuardDuty has none for the member yet', async () => {
    memberIs('Invited', { DetectorId: undefined });
    const state = await handler(regionInput());
    expect(state.memberDetectorId).toBeNull();
  });

  it('stops with UnknownRelationshipStatus on a status it does not know, without changing anything', async () => {
    memberIs('Paused');
    const error = await thrown(() => handler(regionInput()));
    expect(error.name).toBe('UnknownRelationshipStatus');
    expect(error.message).toContain("'Paused'");
    expect(error.message).toContain(MEMBER);
    expect(error.message).toContain(REGION);
    expect(mutatingCalls()).toBe(0);
  });
});

describe('CreateMember: email verification failed', () => {
  it('re-creates the member with the new email when the request brings a different one', async () => {
    memberIs('EmailVerificationFailed', { Email: 'old.address@example.com' });
    const state = await handler(regionInput());

    expect(gd.commandCalls(DeleteMembersCommand)[0]!.args[0].input).toEqual({ DetectorId: ADMIN_DETECTOR, AccountIds: [MEMBER] });
    expect(gd.commandCalls(CreateMembersCommand)[0]!.args[0].input).toEqual({
      DetectorId: ADMIN_DETECTOR,
      AccountDetails: [{ AccountId: MEMBER, Email: EMAIL }],
    });
    expect(state.relationshipStatus).toBe('Created');
    expect(state.memberDetectorId).toBeNull();
  });

  it('stops with RequestRejected when GuardDuty refuses to delete the old member', async () => {
    memberIs('EmailVerificationFailed', { Email: 'old.address@example.com' });
    const result = 'The request is rejected because the current account cannot delete the specified member account ID because it is still associated to it.';
    gd.on(DeleteMembersCommand).resolves({ UnprocessedAccounts: [{ AccountId: MEMBER, Result: result }] });
    const error = await thrown(() => handler(regionInput()));
    expect(error.name).toBe('RequestRejected');
    expect(error.message).toContain(result);
    expect(gd.commandCalls(CreateMembersCommand)).toHaveLength(0);
  });

  it('stops with EmailVerificationFailed when the same email (any case) failed before', async () => {
    memberIs('EmailVerificationFailed', { Email: EMAIL.toUpperCase() });
    const error = await thrown(() => handler(regionInput()));
    expect(error.name).toBe('EmailVerificationFailed');
    expect(error.message).toContain('root user email');
    expect(error.message).toContain(MEMBER);
    expect(error.message).toContain(REGION);
    expect(error.message).toContain(MASKED_EMAIL);
    expect(error.message).not.toContain(EMAIL);
    expect(mutatingCalls()).toBe(0);
  });
});

describe('CreateMember: the administrator detector', () => {
  it('stops with AdminDetectorMissing when the administrator has no detector in the region', async () => {
    gd.on(ListDetectorsCommand).resolves({ DetectorIds: [] });
    const error = await thrown(() => handler(regionInput()));
    expect(error.name).toBe('AdminDetectorMissing');
    expect(error.message).toBe(
      `administrator account ${ADMIN} has no GuardDuty detector in ${REGION}; enable GuardDuty there first, then enroll account ${MEMBER} again`,
    );
    expect(gd.commandCalls(GetMembersCommand)).toHaveLength(0);
  });

  it('looks the detector up once per region and reuses it', async () => {
    memberIs('Enabled');
    await handler(regionInput());
    await handler(regionInput());
    await handler(regionInput({}, { region: 'us-east-2' }));
    expect(gd.commandCalls(ListDetectorsCommand)).toHaveLength(2);
  });

  it('drops a cached detector id GuardDuty says is not owned, resolves it again and goes on', async () => {
    memberIs('Enabled');
    await handler(regionInput()); // caches ADMIN_DETECTOR
    gd.reset();
    gd.on(ListDetectorsCommand).resolves({ DetectorIds: ['recreateddetector'] });
    gd.on(GetMembersCommand, { DetectorId: ADMIN_DETECTOR }).rejects(
      badRequest('The request is rejected because the input detectorId is not owned by the current account.'),
    );
    gd.on(GetMembersCommand, { DetectorId: 'recreateddetector' }).resolves({ Members: [member('Enabled')] });

    const state = await handler(regionInput());
    expect(state.adminDetectorId).toBe('recreateddetector');
    expect(gd.commandCalls(ListDetectorsCommand)).toHaveLength(1);
    expect(gd.commandCalls(GetMembersCommand).map((c) => c.args[0].input.DetectorId)).toEqual([ADMIN_DETECTOR, 'recreateddetector']);

    // The new id is cached: the next enrollment does not list again.
    await handler(regionInput());
    expect(gd.commandCalls(ListDetectorsCommand)).toHaveLength(1);
  });

  it('resolves again only once: a second "not owned" answer stops the region', async () => {
    gd.on(GetMembersCommand).rejects(badRequest('The request is rejected because the input detectorId is not owned by the current account.'));
    const error = await thrown(() => handler(regionInput()));
    expect(error.name).toBe('RequestRejected');
    expect(error.message).toContain('not owned by the current account');
    expect(gd.commandCalls(ListDetectorsCommand)).toHaveLength(2);
    expect(gd.commandCalls(GetMembersCommand)).toHaveLength(2);
  });
});

describe('CreateMember: invalid requests make no AWS call', () => {
  it.each([
    ['accountId', { accountId: '12345' }, "accountId '12345'"],
    ['accountId', { accountId: ADMIN }, 'administrator account itself'],
    ['email', { email: 'no-at-sign.example.com' }, "exactly one '@'"],
    ['email', { email: 'jane doe@example.com' }, 'whitespace'],
    ['email', { email: 'jane@example' }, 'at least one dot'],
    ['email', { email: undefined as unknown as string }, 'email is missing'],
    ['invitationMessage', { invitationMessage: 'x'.repeat(1001) }, 'invitationMessage'],
  ])('rejects a bad %s with InvalidEnrollmentRequest (%s)', async (_field, request, expected) => {
    const error = await thrown(() => handler(regionInput(request)));
    expect(error.name).toBe('InvalidEnrollmentRequest');
    expect(error.message).toContain(expected);
    expect(gd.calls()).toHaveLength(0);
  });

  it('rejects a bad region with InvalidEnrollmentRequest', async () => {
    const error = await thrown(() => handler(regionInput({}, { region: 'moon-base-1a' })));
    expect(error.name).toBe('InvalidEnrollmentRequest');
    expect(error.message).toContain("region 'moon-base-1a'");
    expect(gd.calls()).toHaveLength(0);
  });

  it('does not echo an invalid email, only its masked form', async () => {
    const error = await thrown(() => handler(regionInput({ email: 'jane.doe@-example.com' })));
    expect(error.name).toBe('InvalidEnrollmentRequest');
    expect(error.message).toContain('j***@-example.com');
    expect(error.message).not.toContain('jane.doe');
  });
});

describe('CreateMember: GuardDuty failures', () => {
  it.each([
    ['TooManyRequestsException', 'Throttled', () => guardDutyError('TooManyRequestsException', 429)],
    ['ThrottlingException', 'Throttled', () => guardDutyError('ThrottlingException', 400)],
    ['InternalServerErrorException', 'ServiceUnavailable', internalError],
    ['a 503', 'ServiceUnavailable', () => guardDutyError('ServiceUnavailableException', 503)],
    ['AccessDeniedException', 'AccessDenied', () => guardDutyError('AccessDeniedException', 403)],
  ])('turns %s into %s so the state machine can retry or stop', async (_label, expected, sdkError) => {
    gd.on(GetMembersCommand).rejects(sdkError());
    const error = await thrown(() => handler(regionInput()));
    expect(error.name).toBe(expected);
    expect(error.message).toContain('GetMembers');
    expect(error.message).toContain(MEMBER);
    expect(error.message).toContain(REGION);
  });

  it('turns a throttled ListDetectors into Throttled too', async () => {
    gd.on(ListDetectorsCommand).rejects(guardDutyError('TooManyRequestsException', 429));
    const error = await thrown(() => handler(regionInput()));
    expect(error.name).toBe('Throttled');
  });
});

describe('CreateMember: logs', () => {
  it('logs its decisions with the email masked and the enrollment keys set', async () => {
    memberAbsent();
    const logs = captureLogs();
    try {
      await handler(regionInput());
    } finally {
      logs.restore();
    }
    expect(logs.text()).toContain(MASKED_EMAIL);
    expect(logs.text()).not.toContain(EMAIL);
    const decision = logs.lines().find((l) => String(l.message).includes('creating it'));
    expect(decision).toMatchObject({
      level: 'INFO',
      service: 'guardduty-enrollment-test',
      enrollmentId: 'enr-0001',
      accountId: MEMBER,
      region: REGION,
      email: MASKED_EMAIL,
    });
  });

  it('logs who asked on every line, and none for a request that does not say', async () => {
    memberAbsent();
    const logs = captureLogs();
    try {
      await handler(regionInput({ requestedBy: 'arn:aws:sts::111111111111:assumed-role/AccountVending/run-42' }));
      await handler(regionInput());
    } finally {
      logs.restore();
    }
    const askedBy = logs.lines().map((l) => l.requestedBy);
    expect(askedBy.length).toBeGreaterThan(1);
    expect(askedBy).toContain('arn:aws:sts::111111111111:assumed-role/AccountVending/run-42');
    // The key is persistent across warm invocations, so it is reset (a null key is left out), never carried over.
    expect(askedBy[askedBy.length - 1] ?? null).toBeNull();
  });

  it('keeps the email masked when email verification failed', async () => {
    memberIs('EmailVerificationFailed', { Email: 'old.address@example.com' });
    const logs = captureLogs();
    try {
      await handler(regionInput());
    } finally {
      logs.restore();
    }
    expect(logs.text()).not.toContain(EMAIL);
    expect(logs.text()).not.toContain('old.address@');
    expect(logs.text()).toContain('o***@example.com');
  });
});
