/**
 * The API's access settings as deployed: method authorization, the resource policy, the endpoint
 * type, detector deletion, and what cdk-nag says of each mode. One synth per combination.
 */
import { API_ROUTES } from '../../lib/api/route-table';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildApp } from '../../lib/app';
import { parseSettings } from '../../lib/settings';
import { cdkJsonContext, synthesizeTemplates } from '../../local/runtime/template/synth';
import type { CfnTemplate } from '../../local/runtime/template/synth';

const ACCOUNT = '111111111111';
const PARTNER_ROLE = 'arn:aws:iam::999999999999:role/AccountVending';
const OWN_ROLE = `arn:aws:iam::${ACCOUNT}:role/Portal`;

function enrollmentTemplate(settings: Record<string, unknown>): CfnTemplate {
  return synthesizeTemplates({ context: { guarddutyEnrollment: { ...(cdkJsonContext().guarddutyEnrollment as object), ...settings } } }).enrollment;
}

function ofType(template: CfnTemplate, type: string): Record<string, any>[] {
  return Object.values(template.Resources)
    .filter((r) => r.Type === type)
    .map((r) => r.Properties as Record<string, any>);
}

const restApi = (template: CfnTemplate) => ofType(template, 'AWS::ApiGateway::RestApi')[0];
const statementsOf = (template: CfnTemplate): Record<string, any>[] => restApi(template).Policy?.Statement ?? [];
const sid = (template: CfnTemplate, name: string) => statementsOf(template).find((s) => s.Sid === name);

describe("authorization 'iam' (the default)", () => {
  let template: CfnTemplate;
  beforeAll(() => {
    template = enrollmentTemplate({});
  });

  test('every method uses AWS_IAM and still requires the API key (the usage plan)', () => {
    const methods = ofType(template, 'AWS::ApiGateway::Method');
    expect(methods).toHaveLength(API_ROUTES.length);
    for (const method of methods) expect(method).toMatchObject({ AuthorizationType: 'AWS_IAM', ApiKeyRequired: true });
  });

  test('the resource policy denies every principal outside this account, and allows nothing by itself', () => {
    expect(statementsOf(template)).toEqual([
      {
        Sid: 'DenyOutsideAllowance',
        Effect: 'Deny',
        Principal: '*',
        Action: 'execute-api:Invoke',
        Resource: 'execute-api:/*',
        Condition: { StringNotEquals: { 'aws:PrincipalAccount': [ACCOUNT] } },
      },
    ]);
    expect(restApi(template).EndpointConfiguration).toEqual({ Types: ['REGIONAL'] });
  });

  test('deleteDetector=true is refused by the offboarding template (allowDetectorDeletion false)', () => {
    const offboard = ofType(template, 'AWS::ApiGateway::Method').find((m) => m.HttpMethod === 'DELETE')!;
    expect(JSON.stringify(offboard.Integration.RequestTemplates)).toContain("#if($deleteDetector == 'true' && !false)");
  });

  test('the GuardDuty Signup route follows the setting like every other route', () => {
    const signup = ofType(template, 'AWS::ApiGateway::Method').find((m) => JSON.stringify(m.Integration.RequestTemplates).includes('MemberId'))!;
    expect(signup.AuthorizationType).toBe('AWS_IAM');
  });
});

test('allowed principals and an organization: denied outside them; other accounts allowed by the policy, this account by its identity policies only', () => {
  const template = enrollmentTemplate({ allowedPrincipals: [PARTNER_ROLE, OWN_ROLE, 'arn:aws:iam::888888888888:root'], allowedOrganizationId: 'o-a1b2c3d4e5' });
  expect(sid(template, 'DenyOutsideAllowance')).toMatchObject({
    Effect: 'Deny',
    Condition: {
      ArnNotLike: { 'aws:PrincipalArn': [PARTNER_ROLE, OWN_ROLE] },
      StringNotEquals: { 'aws:PrincipalAccount': ['888888888888'], 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' },
    },
  });
  expect(sid(template, 'AllowPrincipalsOfOtherAccounts')).toMatchObject({
    Effect: 'Allow',
    Condition: { ArnLike: { 'aws:PrincipalArn': [PARTNER_ROLE, OWN_ROLE] }, StringNotEquals: { 'aws:PrincipalAccount': ACCOUNT } },
  });
  expect(sid(template, 'AllowOtherAccounts')).toMatchObject({ Effect: 'Allow', Condition: { StringEquals: { 'aws:PrincipalAccount': ['888888888888'] } } });
  expect(sid(template, 'AllowOrganization')).toMatchObject({
    Effect: 'Allow',
    Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' }, StringNotEquals: { 'aws:PrincipalAccount': ACCOUNT } },
  });
  // No statement allows this account's principals: same-account callers need their identity policy.
  for (const statement of statementsOf(template).filter((s) => s.Effect === 'Allow'))
    expect(statement.Condition.StringNotEquals?.['aws:PrincipalAccount'] ?? 'other accounts only').not.toBeUndefined();
});

test('PRIVATE: a private endpoint on the VPC endpoints, and aws:SourceVpce in the policy', () => {
  const template = enrollmentTemplate({ endpointType: 'PRIVATE', vpcEndpointIds: ['vpce-0123456789abcdef0'] });
  expect(restApi(template).EndpointConfiguration).toEqual({ Types: ['PRIVATE'], VpcEndpointIds: ['vpce-0123456789abcdef0'] });
  expect(sid(template, 'DenyOutsideVpcEndpoints')).toMatchObject({
    Effect: 'Deny',
    Condition: { StringNotEquals: { 'aws:SourceVpce': ['vpce-0123456789abcdef0'] } },
  });
  expect(sid(template, 'DenyOutsideAllowance')).toBeDefined();
  expect(sid(template, 'AllowThroughVpcEndpoints')).toBeUndefined();
});

describe("authorization 'apiKey'", () => {
  test('REGIONAL: methods without authorization, the key required, no resource policy (as before)', () => {
    const template = enrollmentTemplate({ authorization: 'apiKey' });
    for (const method of ofType(template, 'AWS::ApiGateway::Method')) expect(method).toMatchObject({ AuthorizationType: 'NONE', ApiKeyRequired: true });
    expect(restApi(template).Policy).toBeUndefined();
  });

  test('PRIVATE: everyone through the VPC endpoints, no one else', () => {
    const template = enrollmentTemplate({
      authorization: 'apiKey',
      endpointType: 'PRIVATE',
      vpcEndpointIds: ['vpce-0123456789abcdef0', 'vpce-0fedcba9876543210'],
    });
    expect(statementsOf(template).map((s) => s.Sid)).toEqual(['DenyOutsideVpcEndpoints', 'AllowThroughVpcEndpoints']);
    expect(sid(template, 'AllowThroughVpcEndpoints')).toMatchObject({ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke' });
  });
});

test('allowDetectorDeletion true lets deleteDetector=true through the template', () => {
  const template = enrollmentTemplate({ allowDetectorDeletion: true });
  const offboard = ofType(template, 'AWS::ApiGateway::Method').find((m) => m.HttpMethod === 'DELETE')!;
  expect(JSON.stringify(offboard.Integration.RequestTemplates)).toContain("#if($deleteDetector == 'true' && !true)");
});

describe('settings are validated at synth', () => {
  test.each([
    [{ authorization: 'cognito' }, /authorization: must be one of iam, apiKey/],
    [{ endpointType: 'PRIVATE' }, /vpcEndpointIds: must name at least one VPC endpoint when endpointType is 'PRIVATE'/],
    [{ vpcEndpointIds: ['vpce-0123456789abcdef0'] }, /vpcEndpointIds: applies only to endpointType 'PRIVATE'/],
    [{ endpointType: 'PRIVATE', vpcEndpointIds: ['vpc-123'] }, /vpcEndpointIds\[0\]: must be a VPC endpoint id/],
    [{ allowedPrincipals: ['arn:aws:sts::999999999999:assumed-role/R/s'] }, /allowedPrincipals\[0\]: must be a IAM role, user or account root ARN/],
    [{ allowedOrganizationId: 'org-1' }, /allowedOrganizationId: must be '' or an AWS Organizations id/],
    [{ authorization: 'apiKey', allowedPrincipals: [PARTNER_ROLE] }, /allowedPrincipals: needs authorization 'iam'/],
    [{ authorization: 'apiKey', allowedOrganizationId: 'o-a1b2c3d4e5' }, /allowedOrganizationId: needs authorization 'iam'/],
    [{ allowDetectorDeletion: 'yes' }, /allowDetectorDeletion: must be true or false/],
  ])('%j is refused', (raw, message) => {
    expect(() => parseSettings(raw)).toThrow(message);
  });
});

describe('cdk-nag', () => {
  let outdir: string;
  beforeEach(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gde-nag-access-'));
  });
  afterEach(() => fs.rmSync(outdir, { recursive: true, force: true }));

  /** The API's acknowledged rules and its unacknowledged findings, with the given settings. */
  function nag(settings: Record<string, unknown>): { acknowledged: string[]; violations: string[] } {
    const app = new App({
      outdir,
      context: {
        ...cdkJsonContext(),
        'aws:cdk:bundling-stacks': [],
        guarddutyEnrollment: { ...(cdkJsonContext().guarddutyEnrollment as object), ...settings },
      },
    });
    const { enrollment } = buildApp(app, { account: ACCOUNT, region: 'us-east-1' });
    const report = new AwsSolutionsChecks().validateScope(app);
    const api = enrollment.node.findAll().find((c) => c.node.path.endsWith('/Api'))!;
    const acknowledged = api.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.keys(m.data as object).map((key) => key.replace(/^Annotation::/, '')));
    return { acknowledged, violations: report.violations.map((v) => v.ruleName) };
  }

  test("with 'iam' APIG4 passes with no acknowledgement (COG4 cannot: it wants a Cognito authorizer, acknowledged as such)", () => {
    const { acknowledged, violations } = nag({});
    expect(violations).toEqual([]);
    expect(acknowledged).not.toContain('AwsSolutions-APIG4');
    expect(acknowledged).toContain('AwsSolutions-COG4');
  });

  test("with 'apiKey' APIG4 is acknowledged, saying that the key is the only control", () => {
    const { acknowledged, violations } = nag({ authorization: 'apiKey' });
    expect(violations).toEqual([]);
    expect(acknowledged).toEqual(expect.arrayContaining(['AwsSolutions-APIG4', 'AwsSolutions-COG4']));
  });
});
