/** What the progress display shows while an enrollment runs. */
import { REGION_FAILED_STEPS } from '../../contract/progress-steps';
import { FAILED_WHILE_RUNNING, snapshotOf } from '../../cli/progress-model';
import type { EnrollmentView } from '../../cli/types';

const running: EnrollmentView = { enrollmentId: 'e-1', accountId: '222222222222', status: 'RUNNING', startedAt: 1, stoppedAt: null, regions: [], error: null };

test.each(Object.values(REGION_FAILED_STEPS))('a region whose last step is %s shows FAILED at once, while the others run on', (step) => {
  const snapshot = snapshotOf(running, ['us-east-1', 'eu-west-1'], undefined, {
    enrollmentId: 'e-1',
    regions: [
      { region: 'us-east-1', step },
      { region: 'eu-west-1', step: 'AcceptInvitation' },
    ],
  });
  expect(snapshot.regions).toEqual([
    { region: 'us-east-1', state: 'FAILED', detail: FAILED_WHILE_RUNNING },
    { region: 'eu-west-1', state: 'pending', detail: 'AcceptInvitation' },
  ]);
});
