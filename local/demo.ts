/**
 * `npm run demo`: starts local mode on free ports, enrolls a sample account in two regions through
 * the local HTTP API, shows each region's progress as the workflow runs (the progress route), prints
 * the outcome, and exits 0 only when every region is Enabled. Invitations take a moment to become
 * visible, as they do in AWS, so the wait for them shows.
 */
import { signedFetch } from './runtime/signed-fetch';
import { STAGE_NAME } from '../lib/enrollment-api';
import type { RegionOutcome } from '../contract/workflow-types';
import { seedSampleOrganization } from './seed/sample-organization';
import { startLocalStack } from './runtime/stack';

const REQUEST = { accountId: '222222222222', email: 'workloads-dev@example.com', regions: ['us-east-1', 'eu-west-1'] };

interface EnrollmentProgress {
  regions: { region: string; step: string }[];
}

interface EnrollmentStatus {
  enrollmentId: string;
  status: string;
  regions: RegionOutcome[];
  error: { code: string; message: string } | null;
}

async function main(): Promise<number> {
  const stack = await startLocalStack({ retryDelayMs: 200, lambdaLogLevel: 'ERROR' });
  try {
    await seedSampleOrganization(stack.emulatorUrl);
    await fetch(`${stack.emulatorUrl}/_emulator/settings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ invitationDelayMs: 500, latencyMs: 50 }),
    });
    const base = `${stack.apiUrl}/${STAGE_NAME}`;
    const headers = { 'x-api-key': stack.apiKey, 'content-type': 'application/json' };
    console.log(`POST ${base}/enrollments ${JSON.stringify(REQUEST)}`);
    const started = await signedFetch(`${base}/enrollments`, { method: 'POST', headers, body: JSON.stringify(REQUEST) });
    const start = (await started.json()) as { enrollmentId: string; statusUrl: string; message?: string };
    console.log(`→ ${started.status} ${JSON.stringify(start)}`);
    if (started.status !== 202) return 1;

    // Follow it as any caller would: each region's step from the progress route, then the outcome.
    const shown = new Map<string, string>();
    let status: EnrollmentStatus;
    do {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const progress = (await (await signedFetch(`${stack.apiUrl}${start.statusUrl}/progress`, { headers })).json()) as EnrollmentProgress;
      for (const { region, step } of [...progress.regions].reverse()) {
        if (shown.get(region) === step) continue;
        shown.set(region, step);
        console.log(`  ${region.padEnd(12)} ${step}`);
      }
      status = (await (await signedFetch(`${stack.apiUrl}${start.statusUrl}`, { headers })).json()) as EnrollmentStatus;
    } while (status.status === 'RUNNING');

    console.log(`\nEnrollment ${status.enrollmentId}: ${status.status}`);
    for (const r of status.regions) {
      console.log(
        `  ${r.region.padEnd(12)} ${r.outcome.padEnd(8)} ${String(r.relationshipStatus).padEnd(10)} detector ${r.memberDetectorId ?? '-'}${r.error ? `  ${r.error.code}: ${r.error.message}` : ''}`,
      );
    }
    if (status.error) console.log(`  ${status.error.code}: ${status.error.message}`);
    const allEnabled = status.regions.length === REQUEST.regions.length && status.regions.every((r) => r.outcome === 'ENABLED');
    return allEnabled ? 0 : 1;
  } finally {
    await stack.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exit(1);
  },
);
