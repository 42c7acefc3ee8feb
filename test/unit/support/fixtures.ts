import { BadRequestException, GuardDutyServiceException, InternalServerErrorException } from '@aws-sdk/client-guardduty';
import type { Member } from '@aws-sdk/client-guardduty';
import { STSServiceException } from '@aws-sdk/client-sts';
import type { RegionInput, RegionState } from '../../../contract/workflow-types';
import { ADMIN, MEMBER, REGION } from './env';

export const EMAIL = 'jane.doe@example.com';
export const MASKED_EMAIL = 'j***@example.com';
export const ADMIN_DETECTOR = 'admindetector0001';
export const MEMBER_DETECTOR = 'memberdetector0001';

/** The Map's input for one region. */
export function regionInput(request: Partial<RegionInput['request']> = {}, overrides: Partial<RegionInput> = {}): RegionInput {
  return {
    enrollmentId: 'enr-0001',
    region: REGION,
    relationshipStatus: null,
    memberDetectorId: null,
    request: { accountId: MEMBER, email: EMAIL, regions: [REGION], ...request },
    ...overrides,
  };
}

/** A state after CreateMember. */
export function regionState(overrides: Partial<RegionState> = {}): RegionState {
  return {
    enrollmentId: 'enr-0001',
    region: REGION,
    accountId: MEMBER,
    adminDetectorId: ADMIN_DETECTOR,
    relationshipStatus: 'Created',
    memberDetectorId: null,
    ...overrides,
  };
}

/** A GetMembers Member record. */
export function member(status: string, overrides: Partial<Member> = {}): Member {
  return {
    AccountId: MEMBER,
    DetectorId: MEMBER_DETECTOR,
    MasterId: ADMIN,
    AdministratorId: ADMIN,
    Email: EMAIL,
    RelationshipStatus: status,
    UpdatedAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

/** GuardDuty's BadRequestException with a message, as the SDK deserializes it. */
export function badRequest(message: string): BadRequestException {
  return new BadRequestException({ message, Message: message, Type: 'BadRequestException', $metadata: { httpStatusCode: 400 } });
}

/** GuardDuty's 500. */
export function internalError(): InternalServerErrorException {
  return new InternalServerErrorException({ message: 'Internal server error', $metadata: { httpStatusCode: 500 } });
}

/** An undeclared GuardDuty error (throttling, 403s), as the SDK builds it from the error code. */
export function guardDutyError(name: string, status: number, message = `${name} message`): GuardDutyServiceException {
  return new GuardDutyServiceException({
    name,
    message,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
  });
}

/** An STS error (query protocol codes such as AccessDenied, Throttling). */
export function stsError(name: string, status: number, message = `${name} message`): STSServiceException {
  return new STSServiceException({
    name,
    message,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
  });
}

/** Runs `fn` and returns what it threw (fails the test if it did not throw). */
export async function thrown(fn: () => Promise<unknown>): Promise<Error> {
  try {
    await fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to throw, but it returned');
}
