/**
 * Every AWS call a step makes while the synthesized workflow runs is allowed by that step's role in
 * the template (administrator side) or by the member-role stack's role (member side), as AWS would
 * decide it: the same IAM evaluation local mode's emulator applies to every call (iam-simulate with
 * AWS's authorization data), not a table of ours.
 */
import { synthesizeTemplates } from '../../local/runtime/template/synth';
import type { CfnTemplate } from '../../local/runtime/template/synth';
import type { LocalWorkflow } from '../../local/runtime/step-functions/runner';
import { HANDLER_ENTRY_METADATA } from '../../lib/step-lambda';
import { ADMIN_ACCOUNT, GuardDutyMocks, MEMBER_ACCOUNT } from '../helpers/guardduty-mocks';
import type { RegionSetup } from '../helpers/guardduty-mocks';
import { loadLocalWorkflows } from '../helpers/local-workflows';
import type { LocalWorkflows } from '../helpers/local-workflows';
import type { AttributedCall } from '../helpers/template-iam';
import { TemplateIam } from '../helpers/template-iam';

let template: CfnTemplate;
let workflow: LocalWorkflow;
let batchParts: LocalWorkflow;
let workflows: LocalWorkflows;
let iam: TemplateIam;

beforeAll(() => {
  workflows = loadLocalWorkflows();
  ({ template, enrollment: workflow, batchParts } = workflows);
  const settings = workflows.enrollment.environment();
  iam = TemplateIam.load(
    { enrollment: template, memberRole: synthesizeTemplates({ env: { account: ADMIN_ACCOUNT, region: 'us-east-1' } }).memberRole },
    ADMIN_ACCOUNT,
    MEMBER_ACCOUNT,
    settings.EXTERNAL_ID,
  );
});
afterAll(() => workflows.restoreEnvironment());

/** The IAM actions each handler's role allows, read from the template's policies. */
function actionsByHandler(): Record<string, Set<string>> {
  const byRole = new Map<string, Set<string>>();
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type !== 'AWS::IAM::Policy') continue;
    const props = resource.Properties as { Roles: { Ref: string }[]; PolicyDocument: { Statement: { Action: string | string[] }[] } };
    for (const { Ref } of props.Roles) {
      const set = byRole.get(Ref) ?? new Set<string>();
      for (const s of props.PolicyDocument.Statement) for (const a of ([] as string[]).concat(s.Action)) set.add(a);
      byRole.set(Ref, set);
    }
  }
  const result: Record<string, Set<string>> = {};
  for (const resource of Object.values(template.Resources)) {
    const entry = resource.Metadata?.[HANDLER_ENTRY_METADATA] as string | undefined;
    if (resource.Type !== 'AWS::Lambda::Function' || !entry) continue;
    const roleId = (resource.Properties as { Role: { 'Fn::GetAtt': [string, string] } }).Role['Fn::GetAtt'][0];
    result[entry.replace(/^.*\/(.*)\.ts$/, '$1')] = byRole.get(roleId) ?? new Set();
  }
  return result;
}

const STATE_TO_HANDLER: Record<string, string> = {
  CreateMember: 'create-member',
  InviteMember: 'invite-member',
  AcceptInvitation: 'accept-invitation',
  VerifyMembership: 'verify-membership',
  CheckEmailVerification: 'verify-membership',
  RemoveMember: 'remove-member',
  LeaveAdministrator: 'leave-administrator',
  PrepareMembers: 'prepare-members',
  VerifyMembers: 'verify-members',
  ApplyProtectionPlans: 'apply-protection-plans',
  ApplyPartPlans: 'apply-part-plans',
};

/** Runs one single-region enrollment (steps run one after another) and attributes each call to its step. */
async function callsPerStep(
  setup: RegionSetup,
  onStep?: (state: string, mocks: GuardDutyMocks) => void,
  input: Record<string, unknown> = { accountId: MEMBER_ACCOUNT, email: 'member@example.com', regions: ['us-east-1'] },
  machine: LocalWorkflow = workflow,
) {
  const mocks = new GuardDutyMocks({ 'us-east-1': setup });
  const assumeCalls: string[] = [];
  let current = '';
  const attributed: AttributedCall[] = [];
  let seen = 0;
  const flush = () => {
    for (const call of mocks.calls.slice(seen))
      attributed.push({ handler: STATE_TO_HANDLER[current], action: `guardduty:${call.operation}`, side: call.side, region: call.region });
    seen = mocks.calls.length;
    const assumes = mocks.sts.calls();
    while (assumeCalls.length < assumes.length) {
      const input = assumes[assumeCalls.length].args[0].input as { RoleArn?: string; ExternalId?: string };
      assumeCalls.push(current);
      attributed.push({
        handler: STATE_TO_HANDLER[current],
        action: 'sts:AssumeRole',
        side: 'admin',
        region: 'us-east-1',
        roleArn: input.RoleArn,
        externalId: input.ExternalId,
      });
    }
  };
  try {
    const result = await machine.run(input, {
      name: `permissions-${Date.now()}`,
      retryDelayMs: 0,
      onTask: (state) => {
        flush();
        current = state;
        onStep?.(current, mocks);
      },
    });
    flush();
    return { result, attributed };
  } finally {
    mocks.restore();
  }
}

async function expectAllowed(attributed: AttributedCall[]) {
  const denied: string[] = [];
  for (const call of attributed) {
    const denial = await iam.denial(call);
    if (denial) denied.push(`${call.handler}: ${denial}`);
  }
  expect(denied).toEqual([]);
}

test('a fresh enrollment makes only calls its steps are allowed to make', async () => {
  const { result, attributed } = await callsPerStep({});
  expect(result.status).toBe('SUCCEEDED');
  expect(attributed.length).toBeGreaterThanOrEqual(8);
  await expectAllowed(attributed);
});

test('re-enabling a disabled member detector uses only allowed member-side actions', async () => {
  const { result, attributed } = await callsPerStep({ memberStatus: 'Disabled', memberDetector: 'DISABLED' });
  expect(result.status).toBe('SUCCEEDED');
  expect(attributed.map((a) => a.action)).toContain('guardduty:UpdateDetector');
  await expectAllowed(attributed);
});

test('a detector id refused as not owned is looked up again by each administrator step, with permission to do so', async () => {
  const { result, attributed } = await callsPerStep({}, (state, mocks) => {
    // The administrator's detector is replaced just before each later administrator-side step.
    if (state === 'InviteMember' || state === 'VerifyMembership') mocks.regions.get('us-east-1')!.adminDetectorId = `replaced-before-${state}`;
  });
  expect(result.status).toBe('SUCCEEDED');
  const lookups = attributed.filter((a) => a.action === 'guardduty:ListDetectors' && a.side === 'admin').map((a) => a.handler);
  expect(lookups).toEqual(expect.arrayContaining(['invite-member', 'verify-membership']));
  await expectAllowed(attributed);
});

test('offboarding an enrolled member, detector deleted, makes only calls its steps are allowed to make', async () => {
  const { result, attributed } = await callsPerStep({ memberStatus: 'Enabled', memberDetector: 'ENABLED' }, undefined, {
    action: 'offboard',
    accountId: MEMBER_ACCOUNT,
    deleteDetector: true,
    regions: ['us-east-1'],
  });
  expect(result.status).toBe('SUCCEEDED');
  const actions = attributed.map((a) => `${a.handler} ${a.action}`);
  expect(actions).toEqual(
    expect.arrayContaining([
      'remove-member guardduty:GetMembers',
      'remove-member guardduty:DisassociateMembers',
      'remove-member guardduty:DeleteMembers',
      'leave-administrator sts:AssumeRole',
      'leave-administrator guardduty:DisassociateFromAdministratorAccount',
      'leave-administrator guardduty:DeleteDetector',
    ]),
  );
  await expectAllowed(attributed);
});

test('a batch part, re-creating a member whose email failed verification, makes only calls its steps are allowed to make', async () => {
  const part = {
    batchId: 'b',
    region: 'us-east-1',
    part: 'us-east-1-0',
    accounts: [{ accountId: MEMBER_ACCOUNT, email: 'root@example.com' }],
    invitationMessage: null,
  };
  const { result, attributed } = await callsPerStep({ memberStatus: 'EmailVerificationFailed' }, undefined, part, batchParts);
  expect(result.status).toBe('SUCCEEDED');
  const actions = attributed.map((a) => `${a.handler} ${a.action}`);
  expect(actions).toEqual(
    expect.arrayContaining([
      'prepare-members guardduty:GetMembers',
      'prepare-members guardduty:DeleteMembers',
      'prepare-members guardduty:CreateMembers',
      'prepare-members guardduty:InviteMembers',
      'accept-invitation sts:AssumeRole',
      'accept-invitation guardduty:AcceptAdministratorInvitation',
      'verify-members guardduty:GetMembers',
    ]),
  );
  await expectAllowed(attributed);
});

test('the offboarding steps are granted exactly what they call: RemoveMember no CreateMembers, LeaveAdministrator no GuardDuty action of its own', () => {
  const allowed = actionsByHandler();
  expect([...allowed['remove-member']].filter((a) => a.startsWith('guardduty:')).sort()).toEqual([
    'guardduty:DeleteMembers',
    'guardduty:DisassociateMembers',
    'guardduty:GetMembers',
    'guardduty:ListDetectors',
  ]);
  // The member side runs as the role the member role trusts (AcceptInvitation's) and acts only through the member role.
  expect([...allowed['leave-administrator']].filter((a) => !a.startsWith('logs:') && !a.startsWith('xray:'))).toEqual(['sts:AssumeRole']);
  expect(allowed['leave-administrator']).toEqual(allowed['accept-invitation']);
});
