import { randomUUID } from 'node:crypto';
import type { DeliveredEvent } from '../../../lambda/shared/enrollment-event';
import { CONTROL_TOWER, ENROLLMENT_EVENT_SOURCE, ENROLL_ACCOUNT_DETAIL_TYPE } from '../../../contract/enrollment-events';

/** An enrollment event as EventBridge delivers it to the rule's target. */
export function enrollEvent(detail: unknown, id = randomUUID()): DeliveredEvent {
  return {
    version: '0',
    id,
    'detail-type': ENROLL_ACCOUNT_DETAIL_TYPE,
    source: ENROLLMENT_EVENT_SOURCE,
    account: '111111111111',
    time: '2026-01-01T00:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail,
  };
}

/**
 * Control Tower's CreateManagedAccount lifecycle event (the shape of the Control Tower user guide's
 * example), forwarded from the management account 999999999999.
 */
export function controlTowerEvent(accountId: string, state = 'SUCCEEDED', id = randomUUID()): DeliveredEvent {
  return {
    version: '0',
    id,
    'detail-type': CONTROL_TOWER.detailType,
    source: CONTROL_TOWER.source,
    account: '999999999999',
    time: '2026-01-01T00:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail: {
      eventVersion: '1.08',
      userIdentity: { accountId: '999999999999', invokedBy: 'AWS Internal' },
      eventSource: 'controltower.amazonaws.com',
      eventName: CONTROL_TOWER.eventName,
      awsRegion: 'us-east-1',
      requestParameters: { accountEmail: 'HIDDEN_DUE_TO_SECURITY_REASONS', accountName: 'Workloads' },
      eventType: 'AwsServiceEvent',
      serviceEventDetails: {
        createManagedAccountStatus: {
          organizationalUnit: { organizationalUnitName: 'Workloads', organizationalUnitId: 'ou-abcd-11111111' },
          account: { accountName: 'Workloads', accountId },
          state,
          message: 'AWS Control Tower successfully created an enrolled account.',
          requestedTimestamp: 'Jan 1, 2026 12:00:00 AM',
          completedTimestamp: 'Jan 1, 2026 12:30:00 AM',
        },
      },
    },
  };
}
