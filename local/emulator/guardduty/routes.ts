/**
 * GuardDuty REST routes: method + path → operation, as in botocore's model
 * `botocore/data/guardduty/2017-11-28/service-2.json` (`http.method`, `http.requestUri`).
 * Every operation here answers HTTP 200 on success (model `responseCode: 200`).
 */
import { createDetector, deleteDetector, getDetector, listDetectors, updateDetector } from './detectors';
import type { GuardDutyHandler } from './input';
import { getMemberDetectors, getRemainingFreeTrialDays, updateMemberDetectors } from './member-detectors';
import { disableOrganizationAdminAccount, enableOrganizationAdminAccount, listOrganizationAdminAccounts } from './organization-admin';
import { describeOrganizationConfiguration, updateOrganizationConfiguration } from './organization-config';
import {
  acceptAdministratorInvitation,
  acceptInvitation,
  declineInvitations,
  deleteInvitations,
  disassociateFromAdministratorAccount,
  disassociateFromMasterAccount,
  getAdministratorAccount,
  getInvitationsCount,
  getMasterAccount,
  listInvitations,
} from './invitations';
import {
  createMembers,
  deleteMembers,
  disassociateMembers,
  getMembers,
  inviteMembers,
  listMembers,
  startMonitoringMembers,
  stopMonitoringMembers,
} from './members';

interface Route {
  method: string;
  /** Path segments; `{DetectorId}` matches one segment. */
  segments: string[];
  operation: string;
  handler: GuardDutyHandler;
}

function route(method: string, uri: string, operation: string, handler: GuardDutyHandler): Route {
  return { method, segments: uri.split('/').filter(Boolean), operation, handler };
}

const ROUTES: Route[] = [
  route('POST', '/detector', 'CreateDetector', createDetector),
  route('GET', '/detector', 'ListDetectors', listDetectors),
  route('GET', '/detector/{DetectorId}', 'GetDetector', getDetector),
  route('POST', '/detector/{DetectorId}', 'UpdateDetector', updateDetector),
  route('DELETE', '/detector/{DetectorId}', 'DeleteDetector', deleteDetector),
  route('POST', '/detector/{DetectorId}/member', 'CreateMembers', createMembers),
  route('GET', '/detector/{DetectorId}/member', 'ListMembers', listMembers),
  route('POST', '/detector/{DetectorId}/member/invite', 'InviteMembers', inviteMembers),
  route('POST', '/detector/{DetectorId}/member/get', 'GetMembers', getMembers),
  route('POST', '/detector/{DetectorId}/member/delete', 'DeleteMembers', deleteMembers),
  route('POST', '/detector/{DetectorId}/member/disassociate', 'DisassociateMembers', disassociateMembers),
  route('POST', '/detector/{DetectorId}/member/start', 'StartMonitoringMembers', startMonitoringMembers),
  route('POST', '/detector/{DetectorId}/member/stop', 'StopMonitoringMembers', stopMonitoringMembers),
  route('POST', '/detector/{DetectorId}/member/detector/update', 'UpdateMemberDetectors', updateMemberDetectors),
  route('POST', '/detector/{DetectorId}/member/detector/get', 'GetMemberDetectors', getMemberDetectors),
  route('POST', '/detector/{DetectorId}/freeTrial/daysRemaining', 'GetRemainingFreeTrialDays', getRemainingFreeTrialDays),
  route('GET', '/invitation', 'ListInvitations', listInvitations),
  route('GET', '/invitation/count', 'GetInvitationsCount', getInvitationsCount),
  route('POST', '/invitation/decline', 'DeclineInvitations', declineInvitations),
  route('POST', '/invitation/delete', 'DeleteInvitations', deleteInvitations),
  route('POST', '/detector/{DetectorId}/administrator', 'AcceptAdministratorInvitation', acceptAdministratorInvitation),
  route('GET', '/detector/{DetectorId}/administrator', 'GetAdministratorAccount', getAdministratorAccount),
  route('POST', '/detector/{DetectorId}/administrator/disassociate', 'DisassociateFromAdministratorAccount', disassociateFromAdministratorAccount),
  route('POST', '/detector/{DetectorId}/master', 'AcceptInvitation', acceptInvitation),
  route('GET', '/detector/{DetectorId}/master', 'GetMasterAccount', getMasterAccount),
  route('POST', '/detector/{DetectorId}/master/disassociate', 'DisassociateFromMasterAccount', disassociateFromMasterAccount),
  // Organization operations (guardduty-organization-*.ts).
  route('POST', '/admin/enable', 'EnableOrganizationAdminAccount', enableOrganizationAdminAccount),
  route('POST', '/admin/disable', 'DisableOrganizationAdminAccount', disableOrganizationAdminAccount),
  route('GET', '/admin', 'ListOrganizationAdminAccounts', listOrganizationAdminAccounts),
  route('POST', '/detector/{DetectorId}/admin', 'UpdateOrganizationConfiguration', updateOrganizationConfiguration),
  route('GET', '/detector/{DetectorId}/admin', 'DescribeOrganizationConfiguration', describeOrganizationConfiguration),
];

/** A matched route with its path parameter. */
export interface RouteMatch {
  operation: string;
  handler: GuardDutyHandler;
  detectorId: string;
}

/** Finds the operation for a method and path, or undefined. */
export function matchRoute(method: string, path: string): RouteMatch | undefined {
  const segments = path.split('/').filter(Boolean).map(safeDecode);
  for (const candidate of ROUTES) {
    if (candidate.method !== method || candidate.segments.length !== segments.length) continue;
    let detectorId = '';
    const fits = candidate.segments.every((segment, index) => {
      if (segment === '{DetectorId}') {
        detectorId = segments[index];
        return true;
      }
      return segment === segments[index];
    });
    if (fits) return { operation: candidate.operation, handler: candidate.handler, detectorId };
  }
  return undefined;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
