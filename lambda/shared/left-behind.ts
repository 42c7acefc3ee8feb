import { isEnrollmentError } from './errors';
import { TransientErrors } from '../../contract/error-names';
import { MAX_ERROR_MESSAGE_LENGTH, shortened } from './error-size';
import type { RegionState } from '../../contract/workflow-types';

const TRANSIENT: ReadonlySet<string> = new Set(Object.values(TransientErrors));

/**
 * What a region that fails for good on the member side (AcceptInvitation) leaves behind: InviteMembers
 * has run, so the administrator keeps the account as an Invited member there and the account has a
 * pending invitation. They are not removed: once the cause is fixed (member role deployed, region
 * enabled), enrolling again continues from them with no new invitation. The outcome says so, with
 * the exact call that removes them: this API's offboarding, whose RemoveMember makes GuardDuty's
 * DisassociateMembers and DeleteMembers calls (the account can decline the invitation itself).
 */
export function leftBehindNote(state: Pick<RegionState, 'accountId' | 'region'>): string {
  const { accountId, region } = state;
  return `Left behind: an Invited member and its pending invitation; DELETE /v1/enrollments/${accountId}?regions=${region} removes the member.`;
}

/**
 * The member side's terminal error with the left-behind note at its end, its own message shortened
 * if need be so that the note survives the cut to MAX_ERROR_MESSAGE_LENGTH; other errors unchanged.
 */
export function withLeftBehindNote(error: unknown, state: Pick<RegionState, 'accountId' | 'region'>): unknown {
  if (!isEnrollmentError(error) || TRANSIENT.has(error.name)) return error;
  const note = leftBehindNote(state);
  const room = MAX_ERROR_MESSAGE_LENGTH - note.length - 2;
  const own = shortened(error.message, room);
  error.message = `${own}${own.endsWith('.') ? '' : '.'} ${note}`;
  return error;
}
