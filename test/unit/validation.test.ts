import { GUARDDUTY_REGIONS_BY_PARTITION, OPT_IN_REGIONS } from '../../contract/guardduty-regions';
import { REGION_PATTERN, emailProblem, enrollmentRequestProblem, validateRegionInput } from '../../lambda/shared/validation';
import { regionInput } from './support/fixtures';

const ADMIN = '111111111111';

describe('email addresses GuardDuty accepts (API reference AccountDetail.Email)', () => {
  it.each(['jane.doe@example.com', 'a+tag@sub.example.co.uk', 'x_y-z@ex-ample.org', 'ab@c.de'])('accepts %s', (email) => {
    expect(emailProblem(email)).toBeUndefined();
  });

  it.each([
    ['a@b.c', '6 to 64'],
    [`${'a'.repeat(60)}@example.com`, '6 to 64'],
    ['jané@example.com', '7-bit ASCII'],
    ['jane.example.com', "exactly one '@'"],
    ['jane@doe@example.com', "exactly one '@'"],
    ['@example.com', 'local part'],
    ...[
      'jane doe',
      'jane"doe',
      "jane'doe",
      'jane(doe',
      'jane)doe',
      'jane<doe',
      'jane>doe',
      'jane[doe',
      'jane]doe',
      'jane:doe',
      'jane,doe',
      'jane\\doe',
      'jane|doe',
      'jane%doe',
      'jane&doe',
    ].map((local) => [`${local}@example.com`, 'must not contain']),
    ['.jane@example.com', "must not start with '.'"],
    ['jane@exa_mple.com', 'only letters, digits'],
    ['jane@localhost', 'at least one dot'],
    ['jane@.example.com', 'must not begin or end'],
    ['jane@example.com-', 'must not begin or end'],
    ['jane@-example.com', 'must not begin or end'],
    ['jane@example.com.', 'must not begin or end'],
  ])('rejects %s (%s)', (email, why) => {
    expect(emailProblem(email)).toContain(why);
  });
});

describe('region names', () => {
  it.each(['us-east-1', 'eu-central-2', 'us-gov-west-1', 'ap-southeast-5', 'cn-north-1', 'il-central-1'])('accepts %s', (region) => {
    expect(REGION_PATTERN.test(region)).toBe(true);
  });
  it.each(['us-east', 'US-EAST-1', 'useast1', 'us-east-100', 'us_east_1', ''])('rejects %s', (region) => {
    expect(REGION_PATTERN.test(region)).toBe(false);
  });
});

describe('regions where GuardDuty runs (docs/aws-facts.md, Regions)', () => {
  it('lists 34 commercial regions, 17 of them opt-in, and every name is well formed', () => {
    expect(GUARDDUTY_REGIONS_BY_PARTITION.aws).toHaveLength(34);
    expect(new Set(GUARDDUTY_REGIONS_BY_PARTITION.aws).size).toBe(34);
    expect(OPT_IN_REGIONS).toHaveLength(17);
    for (const region of Object.values(GUARDDUTY_REGIONS_BY_PARTITION).flat()) expect(REGION_PATTERN.test(region)).toBe(true);
  });

  it('refuses a well-formed name where GuardDuty does not run, naming it, in an event request', () => {
    expect(enrollmentRequestProblem({ accountId: '222222222222', email: 'a@example.com', regions: ['eu-west-1', 'us-east-9'] })).toMatch(
      /^region 'us-east-9' is not a region where GuardDuty runs/,
    );
    expect(enrollmentRequestProblem({ accountId: '222222222222', email: 'a@example.com', regions: ['eusc-de-east-1', 'af-south-1'] })).toBeUndefined();
  });

  it('fails a workflow region that is no GuardDuty region as InvalidEnrollmentRequest naming it', () => {
    expect(() => validateRegionInput(regionInput({}, { region: 'us-east-9' }), ADMIN)).toThrow(
      expect.objectContaining({
        name: 'InvalidEnrollmentRequest',
        message: expect.stringContaining("region 'us-east-9' is not a region where GuardDuty runs"),
      }),
    );
  });
});

describe('an enrollment request', () => {
  it('keeps the fields CreateMember needs and nothing else', () => {
    expect(validateRegionInput(regionInput({ invitationMessage: 'hi' }), ADMIN)).toEqual({
      enrollmentId: 'enr-0001',
      accountId: '222222222222',
      email: 'jane.doe@example.com',
      region: 'eu-west-1',
      invitationMessage: 'hi',
      protectionPlans: null,
    });
  });

  it("carries the request's protection plans, and refuses plans that break the rules with the feature named", () => {
    const plans = { EBS_MALWARE_PROTECTION: 'ENABLED' } as const;
    expect(validateRegionInput(regionInput({ protectionPlans: plans }), ADMIN).protectionPlans).toEqual(plans);
    expect(() => validateRegionInput(regionInput({ protectionPlans: { AI_ANALYST: 'ENABLED' } as never }), ADMIN)).toThrow(
      /protectionPlans\.AI_ANALYST.*account 222222222222, region eu-west-1/,
    );
  });

  it('accepts an invitation message of exactly 1000 characters', () => {
    expect(() => validateRegionInput(regionInput({ invitationMessage: 'x'.repeat(1000) }), ADMIN)).not.toThrow();
  });

  it.each([
    ['a 13-digit account id', regionInput({ accountId: '1234567890123' }), 'accountId'],
    ['a missing request', { ...regionInput(), request: undefined as never }, 'request is missing'],
    ['the administrator itself', regionInput({ accountId: ADMIN }), 'cannot be enrolled as its own member'],
  ])('rejects %s naming the problem', (_label, input, expected) => {
    let error: Error | undefined;
    try {
      validateRegionInput(input, ADMIN);
    } catch (e) {
      error = e as Error;
    }
    expect(error?.name).toBe('InvalidEnrollmentRequest');
    expect(error?.message).toContain(expected);
  });
});
