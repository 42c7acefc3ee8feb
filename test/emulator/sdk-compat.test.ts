/**
 * Other clients than explicit-endpoint JS SDK v3: boto3 through `AWS_ENDPOINT_URL`, the JS SDK
 * through `AWS_ENDPOINT_URL_GUARDDUTY` / `AWS_ENDPOINT_URL_STS` (what the app's handlers rely on),
 * and the raw wire format of errors.
 */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { GuardDutyClient, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ADMIN, MEMBER, REGION, boto3Environment, control, staticCredentials, useSeededEmulator } from './helpers';

const run = promisify(execFile);

/** Why the boto3 tests cannot run on this machine, if they cannot: the project installs neither python3 nor boto3. */
function boto3Missing(): string | undefined {
  const probe = spawnSync('python3', ['-c', 'import boto3'], { encoding: 'utf8' });
  if (probe.error) return `python3 could not be run (${probe.error.message})`;
  if (probe.status !== 0) return `python3 cannot import boto3 (${probe.stderr.trim().split('\n').pop()})`;
  return undefined;
}

const boto3Problem = boto3Missing();
if (boto3Problem) console.warn(`Skipping the boto3 tests of ${__filename}: ${boto3Problem}. Install boto3 for python3 (pip install boto3) to run them.`);
const describeWithBoto3 = boto3Problem ? describe.skip : describe;

const emulator = useSeededEmulator();
let adminDetectorId: string;

beforeEach(async () => {
  const view = await control<{ regions: Record<string, { detector: { detectorId: string } }> }>(emulator.url, 'GET', `/_emulator/accounts/${ADMIN}`);
  adminDetectorId = view.body.regions[REGION].detector.detectorId;
});

const BOTO3_SCRIPT = `
import json, boto3
from botocore.exceptions import ClientError

def error_of(call):
    try:
        call()
    except ClientError as e:
        return [e.response['Error']['Code'], e.response['Error']['Message'], e.response['ResponseMetadata']['HTTPStatusCode']]
    return None

out = {}
gd = boto3.client('guardduty', region_name='${REGION}')
sts = boto3.client('sts', region_name='${REGION}')
out['detectors'] = gd.list_detectors()['DetectorIds']
out['caller'] = sts.get_caller_identity()['Account']
role = 'arn:aws:iam::${MEMBER}:role/GuardDutyEnrollmentMember'
creds = sts.assume_role(RoleArn=role, RoleSessionName='boto3', ExternalId='guardduty-enrollment')['Credentials']
session = dict(aws_access_key_id=creds['AccessKeyId'], aws_secret_access_key=creds['SecretAccessKey'], aws_session_token=creds['SessionToken'])
out['expirationType'] = type(creds['Expiration']).__name__
out['member'] = boto3.client('sts', region_name='${REGION}', **session).get_caller_identity()['Account']
out['memberDetector'] = boto3.client('guardduty', region_name='${REGION}', **session).create_detector(Enable=True)['DetectorId']
out['unprocessed'] = gd.create_members(DetectorId=out['detectors'][0], AccountDetails=[{'AccountId': '${ADMIN}', 'Email': 'admin@example.com'}])['UnprocessedAccounts']
out['gdError'] = error_of(lambda: gd.create_detector(Enable=True))
out['stsError'] = error_of(lambda: sts.assume_role(RoleArn=role, RoleSessionName='boto3', ExternalId='wrong-id'))
print(json.dumps(out))
`;

describeWithBoto3('boto3', () => {
  it('lists detectors, assumes the member role and parses errors through AWS_ENDPOINT_URL', async () => {
    const { stdout } = await run('python3', ['-c', BOTO3_SCRIPT], { env: boto3Environment(emulator.url) });
    const out = JSON.parse(stdout) as Record<string, unknown>;
    expect(out.detectors).toEqual([adminDetectorId]);
    expect(out.caller).toBe(ADMIN);
    expect(out.member).toBe(MEMBER);
    expect(out.expirationType).toBe('datetime');
    expect(out.memberDetector).toMatch(/^[0-9a-f]{32}$/);
    expect(out.unprocessed).toEqual([{ AccountId: ADMIN, Result: 'The request is rejected because an account cannot become a member of itself.' }]);
    expect(out.gdError).toEqual(['BadRequestException', 'The request is rejected because a detector already exists for the current account.', 400]);
    expect(out.stsError).toEqual([
      'AccessDenied',
      `User: arn:aws:iam::${ADMIN}:root is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${MEMBER}:role/GuardDutyEnrollmentMember`,
      403,
    ]);
  });
});

describe('JS SDK v3 endpoint from the environment', () => {
  const names = ['AWS_ENDPOINT_URL_GUARDDUTY', 'AWS_ENDPOINT_URL_STS', 'AWS_ENDPOINT_URL', 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS'];
  const saved: Record<string, string | undefined> = {};

  beforeEach(() => {
    for (const name of names) saved[name] = process.env[name];
    delete process.env.AWS_ENDPOINT_URL;
    delete process.env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS;
    process.env.AWS_ENDPOINT_URL_GUARDDUTY = emulator.url;
    process.env.AWS_ENDPOINT_URL_STS = emulator.url;
  });

  afterEach(() => {
    for (const name of names) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  it('reaches the emulator with no endpoint in the client config', async () => {
    // Short timeouts: if the variables were ignored, the call would go to AWS and fail instead of hanging.
    const requestHandler = { requestTimeout: 3000, connectionTimeout: 2000 };
    const config = { region: REGION, credentials: staticCredentials(ADMIN), maxAttempts: 1, requestHandler };
    const { DetectorIds } = await new GuardDutyClient(config).send(new ListDetectorsCommand({}));
    expect(DetectorIds).toEqual([adminDetectorId]);
    const identity = await new STSClient(config).send(new GetCallerIdentityCommand({}));
    expect(identity.Account).toBe(ADMIN);
  });
});

describe('wire format', () => {
  const authorization = (service: string) =>
    `AWS4-HMAC-SHA256 Credential=AKID${ADMIN}/20260101/${REGION}/${service}/aws4_request, SignedHeaders=host, Signature=00`;

  it('sends GuardDuty errors as REST-JSON: x-amzn-ErrorType header and {message, __type} body', async () => {
    const response = await fetch(`${emulator.url}/detector`, {
      method: 'POST',
      headers: { authorization: authorization('guardduty'), 'content-type': 'application/json' },
      body: JSON.stringify({ enable: true }),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('BadRequestException');
    expect(await response.json()).toEqual({
      message: 'The request is rejected because a detector already exists for the current account.',
      __type: 'BadRequestException',
    });
  });

  it('sends STS errors as an <ErrorResponse> in the STS namespace', async () => {
    const response = await fetch(emulator.url, {
      method: 'POST',
      headers: { authorization: authorization('sts'), 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A222222222222%3Arole%2FNope&RoleSessionName=s1',
    });
    expect(response.status).toBe(403);
    const text = await response.text();
    expect(text).toContain('<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">');
    expect(text).toContain('<Type>Sender</Type><Code>AccessDenied</Code>');
    expect(text).toMatch(/<RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>$/);
  });

  it('routes an unsigned query-protocol request to STS by its Action and refuses it', async () => {
    const response = await fetch(emulator.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('<Code>MissingAuthenticationToken</Code>');
    const report = await control<{ calls: Array<{ operation: string }> }>(emulator.url, 'GET', '/_emulator/calls');
    expect(report.body.calls.map((row) => row.operation)).toContain('GetCallerIdentity');
  });
});
