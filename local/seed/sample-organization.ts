import { DEFAULT_ENABLED_REGIONS } from '../../contract/guardduty-regions';
import { LOCAL_ADMIN_ACCOUNT } from '../runtime/stack';

/** One account of the sample organisation local mode starts with. */
export interface SampleAccount {
  readonly accountId: string;
  readonly email: string;
  readonly note: string;
  readonly detectors?: Record<string, 'ENABLED' | 'DISABLED'>;
  readonly memberRole?: null;
}

/** Regions where the administrator has GuardDuty on: the 17 regions enabled by default in an account. */
export const SAMPLE_ADMIN_REGIONS: readonly string[] = DEFAULT_ENABLED_REGIONS;

/** The sample organisation: the administrator and three members in different starting states. */
export const SAMPLE_ORGANIZATION: SampleAccount[] = [
  {
    accountId: LOCAL_ADMIN_ACCOUNT,
    email: 'security@example.com',
    note: 'GuardDuty administrator (where the API runs)',
    detectors: Object.fromEntries(SAMPLE_ADMIN_REGIONS.map((r) => [r, 'ENABLED'])),
  },
  { accountId: '222222222222', email: 'workloads-dev@example.com', note: 'new account: no GuardDuty yet' },
  {
    accountId: '333333333333',
    email: 'workloads-prod@example.com',
    note: 'already runs GuardDuty on its own in us-east-1',
    detectors: { 'us-east-1': 'ENABLED' },
  },
  { accountId: '444444444444', email: 'sandbox@example.com', note: 'member role not deployed yet', memberRole: null },
];

/** Loads the sample organisation into an emulator through its control API. */
export async function seedSampleOrganization(emulatorUrl: string): Promise<void> {
  for (const account of SAMPLE_ORGANIZATION) {
    const { note: _note, ...body } = account;
    const response = await fetch(`${emulatorUrl}/_emulator/accounts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`Seeding account ${account.accountId} failed: ${response.status} ${await response.text()}`);
  }
}
