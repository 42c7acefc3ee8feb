/** Edge accounts: the situations real organisations are in, with the outcome each must end in. */
import type { CaseDefinition } from './case-definition';

export const EDGE_ACCOUNT_CASES: readonly CaseDefinition[] = [
  {
    id: 'edge/suspended-account',
    suite: 'edge-accounts',
    tried: 'a SUSPENDED account',
    expected: 'region FAILED, MemberRoleNotAssumable naming the account; no member-side change',
  },
  {
    id: 'edge/opt-in-region-disabled',
    suite: 'edge-accounts',
    tried: 'an opt-in region the account has not enabled, next to an enabled region',
    expected: 'that region FAILED, RegionNotEnabled; the other region ENABLED',
  },
  { id: 'edge/resigned-member', suite: 'edge-accounts', tried: 'a member that resigned (DisassociateFromAdministratorAccount)', expected: 'ENABLED again' },
  { id: 'edge/removed-member', suite: 'edge-accounts', tried: 'a member the administrator disassociated (Removed)', expected: 'ENABLED again' },
  {
    id: 'edge/detector-deleted',
    suite: 'edge-accounts',
    tried: "the member's detector deleted after enrollment",
    expected: 'ENABLED again, with a new detector',
  },
  {
    id: 'edge/admin-without-detector',
    suite: 'edge-accounts',
    tried: 'a region where the administrator has no detector',
    expected: 'region FAILED, AdminDetectorMissing; nothing created',
  },
  {
    id: 'edge/more-than-50-invitations',
    suite: 'edge-accounts',
    tried: 'a member with 60 pending invitations from other administrators (ListInvitations pages)',
    expected: "ENABLED, this administrator's invitation accepted, no other",
  },
  {
    id: 'edge/invitation-never-visible',
    suite: 'edge-accounts',
    tried: 'an invitation that never becomes visible to the member (invitation emails off)',
    expected: 'region FAILED, InvitationNotYetVisible after its bounded retries, saying what to do',
  },
];

export const EDGE_EMAILS_ON_CASES: readonly CaseDefinition[] = [
  { id: 'edge/emails-on-right-email', suite: 'edge-accounts-emails-on', tried: 'invitation emails on, the root email', expected: 'ENABLED' },
  {
    id: 'edge/email-mismatch-then-corrected',
    suite: 'edge-accounts-emails-on',
    tried: 'invitation emails on, an email that is not the root email; then the right one',
    expected: 'region FAILED, EmailVerificationFailed; then ENABLED with the member re-created',
  },
  {
    id: 'edge/email-verification-never-finishes',
    suite: 'edge-accounts-emails-on',
    tried: 'invitation emails on, a verification that outlasts the invitation retries',
    expected: 'region FAILED, InvitationNotYetVisible (the verification was still running, not failed)',
  },
];
