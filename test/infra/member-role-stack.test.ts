/** The member-account role: trust narrowed to the workflow's role and the ExternalId, least privilege. */
import { Template } from 'aws-cdk-lib/assertions';
import { MEMBER_GUARDDUTY_ACTIONS } from '../../lib/member-role-stack';
import { synthesizeTemplates } from '../../local/runtime/template/synth';
import { TemplateResolver } from '../../local/runtime/template/resolver';

let template: Template;
let resolver: TemplateResolver;

beforeAll(() => {
  const { memberRole } = synthesizeTemplates();
  template = Template.fromJSON(memberRole);
  resolver = new TemplateResolver(memberRole, { account: '222222222222', region: 'us-east-1', parameters: { AdministratorAccountId: '111111111111' } });
});

function role(): { Properties: Record<string, any> } {
  const roles = Object.values(template.findResources('AWS::IAM::Role'));
  expect(roles).toHaveLength(1);
  return roles[0] as { Properties: Record<string, any> };
}

test('the role trusts only the workflow role of the administrator account, and only with the ExternalId', () => {
  const [statement] = role().Properties.AssumeRolePolicyDocument.Statement;
  const resolved = resolver.resolve(statement) as Record<string, any>;
  expect(resolved.Action).toBe('sts:AssumeRole');
  expect(resolved.Principal).toEqual({ AWS: 'arn:aws:iam::111111111111:root' });
  expect(resolved.Condition.StringEquals).toEqual({
    'sts:ExternalId': 'guardduty-enrollment',
    'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/GuardDutyEnrollmentWorkflow',
  });
});

test('the role is named as the workflow expects', () => {
  expect(role().Properties.RoleName).toBe('GuardDutyEnrollmentMember');
});

test('it may call exactly the GuardDuty actions of the member side, plus GuardDuty service-linked roles only', () => {
  const [policy] = Object.values(template.findResources('AWS::IAM::Policy'));
  const statements = policy.Properties.PolicyDocument.Statement as { Action: string | string[]; Condition?: Record<string, any>; Resource: unknown }[];
  const granted = statements.flatMap((s) => ([] as string[]).concat(s.Action));
  expect(granted.filter((a) => a.startsWith('guardduty:')).sort()).toEqual([...MEMBER_GUARDDUTY_ACTIONS].sort());
  expect(MEMBER_GUARDDUTY_ACTIONS).toContain('guardduty:AcceptAdministratorInvitation');
  expect(MEMBER_GUARDDUTY_ACTIONS).not.toContain('guardduty:AcceptInvitation');
  // Offboarding: leave the administrator (the current API, not DisassociateFromMasterAccount) and, when asked, delete the
  // detector. DeleteDetector takes a detector (only this account's); DisassociateFromAdministratorAccount, like most
  // GuardDuty actions, takes no resource type, so "*" (Service Authorization Reference).
  const statementOf = (action: string) => statements.find((s) => ([] as string[]).concat(s.Action).includes(action))!;
  expect(JSON.stringify(statementOf('guardduty:DeleteDetector').Resource)).toContain(':detector/*');
  expect(statementOf('guardduty:DisassociateFromAdministratorAccount').Resource).toBe('*');
  expect(granted).not.toContain('guardduty:DisassociateFromMasterAccount');
  const slr = statements.find((s) => ([] as string[]).concat(s.Action).includes('iam:CreateServiceLinkedRole'));
  expect(slr?.Condition).toEqual({ StringEquals: { 'iam:AWSServiceName': ['guardduty.amazonaws.com', 'malware-protection.guardduty.amazonaws.com'] } });
  expect(granted.filter((a) => a.includes('*'))).toEqual([]);
  expect(granted.filter((a) => !a.startsWith('guardduty:'))).toEqual(['iam:CreateServiceLinkedRole']);
});

test('the template deploys into accounts that were never CDK-bootstrapped (StackSets)', () => {
  const json = template.toJSON();
  expect(json.Parameters.BootstrapVersion).toBeUndefined();
  expect(json.Rules).toBeUndefined();
});
