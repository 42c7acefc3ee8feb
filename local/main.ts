/**
 * `npm start`: the whole app on 127.0.0.1 with no AWS account. Serves the API on PORT (3000) and
 * the GuardDuty/STS emulator on EMULATOR_PORT (4510), seeded with the sample organisation.
 */
import { SAMPLE_ORGANIZATION, seedSampleOrganization } from './seed/sample-organization';
import { LOCAL_CALLER_ENVIRONMENT, LOCAL_REGION, startLocalStack } from './runtime/stack';
import { STAGE_NAME } from '../lib/enrollment-api';
import { ENROLLMENT_EVENT_SOURCE, ENROLL_ACCOUNT_DETAIL_TYPE } from '../contract/enrollment-events';

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`${name} must be a port number from 0 to 65535 (got "${raw}")`);
  return value;
}

async function main(): Promise<void> {
  const stack = await startLocalStack({
    port: port('PORT', 3000),
    emulatorPort: port('EMULATOR_PORT', 4510),
    apiKey: process.env.LOCAL_API_KEY || undefined,
    retryDelayMs: process.env.LOCAL_RETRY_DELAY_MS ? Number(process.env.LOCAL_RETRY_DELAY_MS) : undefined,
    onAccessLog: (line) => console.log(`access ${line}`),
  });
  await seedSampleOrganization(stack.emulatorUrl);
  const base = `${stack.apiUrl}/${STAGE_NAME}`;
  const [bus] = stack.events.buses;
  const entry = JSON.stringify([
    {
      EventBusName: bus.name,
      Source: ENROLLMENT_EVENT_SOURCE,
      DetailType: ENROLL_ACCOUNT_DETAIL_TYPE,
      Detail: JSON.stringify({ accountId: '222222222222', email: 'workloads-dev@example.com' }),
    },
  ]);
  const iam = stack.settings.authorization === 'iam';
  // A ready caller: the environment the AWS CLI, the SDKs and gde read; curl signs with --aws-sigv4.
  const callerEnvironment = Object.entries(LOCAL_CALLER_ENVIRONMENT)
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
  const sign = iam ? ` --aws-sigv4 "aws:amz:${LOCAL_REGION}:execute-api" --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY"` : '';
  console.log(`GuardDuty Enrollment API (local mode)
  API       ${base}
  API key   ${stack.apiKey}
  Access    authorization '${stack.settings.authorization}'${iam ? ': every call signed (SigV4, service execute-api) and allowed by IAM, plus the API key' : ': the API key alone'}
  Caller    export ${callerEnvironment}
            (the administrator account's root), or as a profile: in ~/.aws/credentials
              [gde-local]
              aws_access_key_id = ${LOCAL_CALLER_ENVIRONMENT.AWS_ACCESS_KEY_ID}
              aws_secret_access_key = ${LOCAL_CALLER_ENVIRONMENT.AWS_SECRET_ACCESS_KEY}
            then AWS_PROFILE=gde-local AWS_DEFAULT_REGION=${LOCAL_REGION}
  Emulator  ${stack.emulatorUrl}  (control API: ${stack.emulatorUrl}/_emulator/)
  Events    bus ${bus.name} (${bus.arn}) at ${stack.emulatorUrl}; dead letters: ${stack.emulatorUrl}/_emulator/queues
  IAM       every call authorized as on AWS; each Lambda, the API and the state machines run as their synthesized roles
            (${stack.emulatorUrl}/_emulator/roles); AKID<12 digits> with secret x is that account's root

Sample organisation:
${SAMPLE_ORGANIZATION.map((a) => `  ${a.accountId}  ${a.email.padEnd(28)} ${a.note}`).join('\n')}

Try (after the export above):
  export GDE_API_URL=${base} GDE_API_KEY=${stack.apiKey}
  npx gde enroll --account 222222222222 --email workloads-dev@example.com --regions us-east-1,eu-west-1 --wait
  curl -s${sign} -X POST ${base}/enrollments -H 'x-api-key: ${stack.apiKey}' -H 'content-type: application/json' \\
    -d '{"accountId":"222222222222","email":"workloads-dev@example.com","regions":["us-east-1","eu-west-1"]}'
  curl -s${sign} ${base}/enrollments/<enrollmentId> -H 'x-api-key: ${stack.apiKey}'
  printf 'Account ID,Email\\n222222222222,workloads-dev@example.com\\n333333333333,workloads-prod@example.com\\n' |
    curl -s${sign} -X POST '${base}/enrollments/batch?regions=us-east-1%2Ceu-west-1' -H 'x-api-key: ${stack.apiKey}' \\
      -H 'content-type: text/csv' --data-binary @-
  curl -s${sign} ${base}/enrollments/batch/<batchId> -H 'x-api-key: ${stack.apiKey}'
  AWS_ACCESS_KEY_ID=AKID111111111111 AWS_SECRET_ACCESS_KEY=x aws events put-events --region us-east-1 \\
    --endpoint-url ${stack.emulatorUrl} --entries '${entry}'
  (then GET /enrollments/<EventId>)
  GDE_API_URL=${base} GDE_API_KEY=${stack.apiKey} npx gde fleet check --wait     # a fleet check on demand
${stack.schedules.all.map((schedule) => `  kill -USR2 ${process.pid}     # fires the fleet-check schedule (${schedule.expression}) now, as Scheduler would`).join('\n')}

Ctrl-C stops.`);

  const stop = async () => {
    console.log('\nStopping…');
    await stack.close();
    process.exit(0);
  };
  // Local mode has no clock-driven Scheduler: SIGUSR2 fires the schedule (its role, its input).
  process.on('SIGUSR2', () => {
    stack.schedules.run().then(
      (run) => console.log(`Schedule fired: fleet check ${run.executionName} (GET ${base}/fleet-checks/${run.executionName})`),
      (error: unknown) => console.error(`Schedule not fired: ${error instanceof Error ? error.message : String(error)}`),
    );
  });
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
