/**
 * Template assertions on the administrator stack: the API's protections, the workflow's shape and
 * the least-privilege IAM a security reviewer will check before deploying.
 */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ENROLLMENT_REQUEST_SCHEMA } from '../../contract/api-schemas';
import { RETRIES } from '../../lib/workflow-rules';
import { synthesizeTemplates } from '../../local/runtime/template/synth';
import type { CfnTemplate } from '../../local/runtime/template/synth';
import { TemplateResolver } from '../../local/runtime/template/resolver';
import { TerminalErrors, TransientErrors } from '../../contract/error-names';

let template: Template;
let raw: CfnTemplate;
let definition: Record<string, any>;

beforeAll(() => {
  raw = synthesizeTemplates().enrollment;
  template = Template.fromJSON(raw);
  const resolver = new TemplateResolver(raw, { account: '111111111111', region: 'us-east-1' });
  const machine = resolver
    .resourcesOfType('AWS::StepFunctions::StateMachine')
    .find((id) => raw.Resources[id].Metadata?.['gde:state-machine'] === 'enrollment')!;
  definition = JSON.parse(resolver.properties(machine).DefinitionString as string);
});

type Statement = { Action: string | string[]; Resource: unknown; Effect: string; Condition?: unknown };

function statements(): { policy: string; statement: Statement }[] {
  return Object.entries(raw.Resources)
    .filter(([, r]) => r.Type === 'AWS::IAM::Policy')
    .flatMap(([id, r]) => ((r.Properties as any).PolicyDocument.Statement as Statement[]).map((statement) => ({ policy: id, statement })));
}

const actions = (s: Statement) => ([] as string[]).concat(s.Action);

describe('API', () => {
  test('every method requires the API key', () => {
    const methods = template.findResources('AWS::ApiGateway::Method');
    expect(Object.keys(methods)).toHaveLength(12); // 8 enrollment routes and the 4 fleet-check routes
    for (const method of Object.values(methods)) expect(method.Properties.ApiKeyRequired).toBe(true);
  });

  test('DELETE /enrollments/{enrollmentId} (offboarding) needs the key, starts the state machine with its own template, and declares its optional query strings', () => {
    const [deleteMethod] = Object.values(template.findResources('AWS::ApiGateway::Method', { Properties: { HttpMethod: 'DELETE' } }));
    expect(deleteMethod.Properties).toMatchObject({
      ApiKeyRequired: true,
      RequestParameters: {
        'method.request.path.enrollmentId': true,
        'method.request.querystring.regions': false,
        'method.request.querystring.deleteDetector': false,
        'method.request.header.Idempotency-Key': false,
      },
    });
    const integration = deleteMethod.Properties.Integration;
    expect(JSON.stringify(integration.Uri)).toContain('states:action/StartExecution');
    expect(JSON.stringify(integration.RequestTemplates)).toMatch(/action\W+offboard/);
    expect(integration.IntegrationResponses.map((r: { StatusCode: string }) => r.StatusCode)).toEqual(['202', '400', '502']);
  });

  test('POST /enrollments/batch takes JSON through its model and CSV through its own template, and nothing else', () => {
    const [post] = Object.entries(template.findResources('AWS::ApiGateway::Method', { Properties: { HttpMethod: 'POST' } }))
      .filter(([id]) => id.startsWith('EnrollmentApienrollmentsbatchPOST'))
      .map(([, method]) => method);
    expect(post).toBeDefined();
    expect(Object.keys(post.Properties.Integration.RequestTemplates).sort()).toEqual(['application/json', 'text/csv']);
    expect(Object.keys(post.Properties.RequestModels)).toEqual(['application/json']);
    expect(post.Properties.Integration.PassthroughBehavior).toBe('NEVER');
    expect(post.Properties.RequestParameters).toEqual({
      'method.request.header.Idempotency-Key': false,
      'method.request.querystring.regions': false,
      'method.request.querystring.protectionPlans': false,
    });
  });

  test('POST /enrollments starts the Standard state machine directly, with no Lambda in front', () => {
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method'));
    const integrations = methods.map((m) => m.Properties.Integration);
    const starts = integrations.filter((i) => JSON.stringify(i.Uri).includes('states:action/StartExecution'));
    expect(starts).toHaveLength(5); // POST /enrollments, POST /enrollments/batch, DELETE /enrollments/{id} (offboarding), the GuardDuty Signup route and POST /fleet-checks
    // GET /enrollments/{id}, GET /enrollments/batch/{id}, GET /enrollments/batch/{id}/parts/{partId}, GET /fleet-checks/{id} and its parts
    expect(integrations.filter((i) => JSON.stringify(i.Uri).includes('states:action/DescribeExecution'))).toHaveLength(5);
    for (const i of integrations) {
      expect(i.Type).toBe('AWS');
      expect(JSON.stringify(i.Uri)).not.toContain('lambda');
      expect(i.PassthroughBehavior).toBe('NEVER');
    }
  });

  test('the body model is the request schema and the method validates against it', () => {
    template.hasResourceProperties('AWS::ApiGateway::Model', { Name: 'EnrollmentRequest', Schema: ENROLLMENT_REQUEST_SCHEMA });
    template.hasResourceProperties('AWS::ApiGateway::RequestValidator', { ValidateRequestBody: true, ValidateRequestParameters: true });
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'POST',
      RequestModels: { 'application/json': Match.anyValue() },
      RequestValidatorId: Match.anyValue(),
    });
  });

  test('the GuardDuty Signup compatibility route exists with its three path parameters', () => {
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'GET',
      RequestParameters: {
        'method.request.path.MasterDetectorId': true,
        'method.request.path.MemberId': true,
        'method.request.path.Email': true,
      },
    });
  });

  test('integration errors map to 4xx/5xx statuses with a JSON message, never a 200', () => {
    for (const method of Object.values(template.findResources('AWS::ApiGateway::Method'))) {
      const responses = method.Properties.Integration.IntegrationResponses as {
        StatusCode: string;
        SelectionPattern?: string;
        ResponseTemplates: Record<string, string>;
      }[];
      const client = responses.find((r) => r.SelectionPattern === '4\\d{2}');
      const server = responses.find((r) => r.SelectionPattern === '5\\d{2}');
      expect(client?.StatusCode).toBe('400');
      expect(client?.ResponseTemplates['application/json']).toContain('responseOverride.status');
      expect(server?.StatusCode).toBe('502');
    }
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', { ResponseType: 'BAD_REQUEST_BODY', StatusCode: '400' });
  });

  test('a usage plan with throttle and quota from the settings is attached to the stage with the key', () => {
    template.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
      Throttle: { RateLimit: 5, BurstLimit: 10 },
      Quota: { Limit: 1000, Period: 'DAY' },
      ApiStages: [Match.objectLike({ Stage: Match.anyValue() })],
    });
    template.resourceCountIs('AWS::ApiGateway::UsagePlanKey', 1);
  });

  test('the stage writes access logs without bodies, and traces', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'v1',
      TracingEnabled: true,
      AccessLogSetting: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('apiKeyId') },
      MethodSettings: [Match.objectLike({ DataTraceEnabled: false, LoggingLevel: 'ERROR' })],
    });
    const format = JSON.stringify(template.findResources('AWS::ApiGateway::Stage'));
    // The key's value and the request path (the Signup route carries the email in it) stay out of the logs.
    expect(format).not.toContain('$context.identity.apiKey"');
    expect(format).not.toContain('$context.path');
  });
});

describe('Workflow', () => {
  test('the state machine is Standard, traced, and logs ALL to a group with retention', () => {
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false, Destinations: Match.anyValue() },
    });
    for (const group of Object.values(template.findResources('AWS::Logs::LogGroup'))) {
      expect(group.Properties.RetentionInDays).toBe(90);
    }
  });

  test('regions run in an inline Map with the configured concurrency, each region create → invite → accept → verify → protection plans', () => {
    const map = definition.States.EnrollRegions;
    expect(map.Type).toBe('Map');
    expect(map.MaxConcurrency).toBe(20);
    expect(map.ItemProcessor.ProcessorConfig.Mode).toBe('INLINE');
    const states = map.ItemProcessor.States;
    expect(map.ItemProcessor.StartAt).toBe('CreateMember');
    expect(states.CreateMember.Next).toBe('IsAlreadyEnabled');
    expect(states.IsAlreadyEnabled.Default).toBe('InviteMember');
    // An account already Enabled goes straight to its protection plans.
    expect(states.IsAlreadyEnabled.Choices[0].Next).toBe('ApplyProtectionPlans');
    expect(states.InviteMember.Next).toBe('AcceptInvitation');
    expect(states.AcceptInvitation.Next).toBe('VerifyMembership');
    expect(states.VerifyMembership).toMatchObject({ Next: 'ApplyProtectionPlans', ResultPath: '$.verified' });
    expect(states.ApplyProtectionPlans.End).toBe(true);
  });

  test('transient errors are retried with a bound, jitter and a maximum delay on the steps that can raise them', () => {
    const states = definition.States.EnrollRegions.ItemProcessor.States;
    const retriers = (state: string) =>
      states[state].Retry as { ErrorEquals: string[]; MaxAttempts: number; JitterStrategy?: string; MaxDelaySeconds?: number }[];
    const retrierFor = (state: string, error: string) => retriers(state).find((r) => r.ErrorEquals.includes(error));
    for (const state of ['CreateMember', 'InviteMember', 'AcceptInvitation', 'VerifyMembership']) {
      expect(retrierFor(state, TransientErrors.Throttled)).toMatchObject({ MaxAttempts: RETRIES.throttling.maxAttempts, JitterStrategy: 'FULL' });
      expect(retrierFor(state, TransientErrors.ServiceUnavailable)).toBeDefined();
      // Lambda's own throttling (a concurrency limit) too, with the largest bound of all.
      expect(retrierFor(state, 'Lambda.TooManyRequestsException')).toMatchObject({ MaxAttempts: 8, JitterStrategy: 'FULL', MaxDelaySeconds: 30 });
      for (const r of retriers(state)) expect(r.MaxAttempts).toBeLessThanOrEqual(8);
    }
    expect(retrierFor('AcceptInvitation', TransientErrors.InvitationNotYetVisible)).toMatchObject({ JitterStrategy: 'FULL', MaxDelaySeconds: 30 });
    expect(retrierFor('VerifyMembership', TransientErrors.MembershipPending)).toMatchObject({ JitterStrategy: 'FULL' });
    // Terminal errors are never retried.
    for (const state of ['CreateMember', 'InviteMember', 'AcceptInvitation', 'VerifyMembership']) {
      for (const terminal of Object.values(TerminalErrors)) expect(retrierFor(state, terminal)).toBeUndefined();
    }
  });

  test('every named error is caught per region, so one region failing never stops the others', () => {
    const states = definition.States.EnrollRegions.ItemProcessor.States;
    for (const state of ['CreateMember', 'InviteMember', 'AcceptInvitation', 'VerifyMembership']) {
      const [named, rest] = states[state].Catch;
      expect(named.ErrorEquals).toEqual(expect.arrayContaining([...Object.values(TerminalErrors), ...Object.values(TransientErrors)]));
      expect(named.Next).toBe('ReadFailure');
      expect(rest.ErrorEquals).toEqual(['States.ALL']);
    }
    expect(definition.States.EnrollmentFailed).toMatchObject({ Type: 'Fail', CausePath: '$.cause' });
  });

  test('Lambda steps run the current Node.js runtime on arm64 with tracing and their own log group', () => {
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));
    expect(functions).toHaveLength(14); // 11 enrollment steps, the fleet check's ReadRoster and CheckMembers, RecordEnrollmentOutcomes
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogGroup: expect.anything() },
      });
    }
  });
});

describe('IAM', () => {
  test('no statement grants a wildcard action', () => {
    for (const { statement } of statements()) {
      for (const action of actions(statement)) expect(action).not.toMatch(/\*/);
    }
  });

  test('GuardDuty actions are listed one by one, each step only those it calls', () => {
    const guardduty = statements()
      .flatMap(({ policy, statement }) =>
        actions(statement)
          .filter((a) => a.startsWith('guardduty:'))
          .map((a) => `${policy.replace(/StepRoleDefaultPolicy.*/, '')}:${a}`),
      )
      .sort();
    expect(guardduty).toEqual(
      [
        'FleetCheckCheckMembers:guardduty:GetMemberDetectors',
        'FleetCheckCheckMembers:guardduty:ListDetectors',
        'FleetCheckCheckMembers:guardduty:ListMembers',
        'WorkflowApplyProtectionPlans:guardduty:GetMemberDetectors',
        'WorkflowApplyProtectionPlans:guardduty:GetRemainingFreeTrialDays',
        'WorkflowApplyProtectionPlans:guardduty:ListDetectors',
        'WorkflowApplyProtectionPlans:guardduty:UpdateMemberDetectors',
        'WorkflowBatchPartApplyPartPlans:guardduty:GetMemberDetectors',
        'WorkflowBatchPartApplyPartPlans:guardduty:ListDetectors',
        'WorkflowBatchPartApplyPartPlans:guardduty:UpdateMemberDetectors',
        'WorkflowBatchPartPrepareMembers:guardduty:CreateMembers',
        'WorkflowBatchPartPrepareMembers:guardduty:DeleteMembers',
        'WorkflowBatchPartPrepareMembers:guardduty:GetMembers',
        'WorkflowBatchPartPrepareMembers:guardduty:InviteMembers',
        'WorkflowBatchPartPrepareMembers:guardduty:ListDetectors',
        'WorkflowBatchPartVerifyMembers:guardduty:GetMembers',
        'WorkflowBatchPartVerifyMembers:guardduty:ListDetectors',
        'WorkflowCreateMember:guardduty:CreateMembers',
        'WorkflowCreateMember:guardduty:DeleteMembers',
        'WorkflowCreateMember:guardduty:GetMembers',
        'WorkflowCreateMember:guardduty:ListDetectors',
        'WorkflowInviteMember:guardduty:InviteMembers',
        'WorkflowInviteMember:guardduty:ListDetectors',
        'WorkflowRemoveMember:guardduty:DeleteMembers',
        'WorkflowRemoveMember:guardduty:DisassociateMembers',
        'WorkflowRemoveMember:guardduty:GetMembers',
        'WorkflowRemoveMember:guardduty:ListDetectors',
        'WorkflowVerifyMembership:guardduty:GetMembers',
        'WorkflowVerifyMembership:guardduty:ListDetectors',
      ].sort(),
    );
  });

  test('the offboarding member-side step runs as the same fixed-name role as AcceptInvitation, so the member role trust stays one principal', () => {
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));
    const roleOf = (entry: string) => functions.find((f) => f.Metadata?.['gde:handler-entry'] === `lambda/handlers/${entry}.ts`)!.Properties.Role;
    expect(roleOf('leave-administrator')).toEqual(roleOf('accept-invitation'));
    expect(roleOf('remove-member')).not.toEqual(roleOf('accept-invitation'));
    expect(Object.values(template.findResources('AWS::IAM::Role', { Properties: { RoleName: 'GuardDutyEnrollmentWorkflow' } }))).toHaveLength(1);
  });

  test('the workflow may assume only the member role name, in any account', () => {
    const assume = statements().filter(({ statement }) => actions(statement).includes('sts:AssumeRole'));
    expect(assume).toHaveLength(1);
    const resolver = new TemplateResolver(raw, { account: '111111111111', region: 'us-east-1' });
    expect(resolver.resolve(assume[0].statement.Resource)).toBe('arn:aws:iam::*:role/GuardDutyEnrollmentMember');
  });

  test('the member-side step runs as the fixed role name member accounts trust, with the ExternalId in its settings', () => {
    template.hasResourceProperties('AWS::IAM::Role', { RoleName: 'GuardDutyEnrollmentWorkflow' });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ MEMBER_ROLE_NAME: 'GuardDutyEnrollmentMember', EXTERNAL_ID: 'guardduty-enrollment' }) },
    });
  });

  test('the API may start executions of this state machine and describe only its executions', () => {
    const resolver = new TemplateResolver(raw, { account: '111111111111', region: 'us-east-1' });
    const api = statements().filter(({ policy }) => policy.includes('IntegrationRole') && !policy.includes('FleetCheck'));
    const describe = api.find(({ statement }) => actions(statement).includes('states:DescribeExecution'));
    expect(resolver.resolve(describe!.statement.Resource)).toMatch(/^arn:aws:states:us-east-1:111111111111:execution:WorkflowStateMachine\w+:\*$/);
    const start = api.find(({ statement }) => actions(statement).includes('states:StartExecution'));
    expect(resolver.resolve(start!.statement.Resource)).toMatch(/^arn:aws:states:us-east-1:111111111111:stateMachine:WorkflowStateMachine\w+$/);
  });
});

describe('Batches', () => {
  const resolver = () => new TemplateResolver(raw, { account: '111111111111', region: 'us-east-1' });
  const partMachineId = () =>
    resolver()
      .resourcesOfType('AWS::StepFunctions::StateMachine')
      .find((id) => raw.Resources[id].Metadata?.['gde:state-machine'] === 'batch-part')!;
  const partDefinition = () => JSON.parse(resolver().properties(partMachineId()).DefinitionString as string);

  test('a batch is split into parts of 100 accounts, run per region as child executions of the batch-part machine, two parts of a region at a time', () => {
    expect(definition.States.PartitionBatch.Parameters['parts.$']).toBe('States.ArrayPartition($.accounts, 100)');
    const regions = definition.States.EnrollBatch;
    expect(regions).toMatchObject({ Type: 'Map', MaxConcurrency: 20, ItemsPath: '$.regions' });
    const parts = regions.ItemProcessor.States.EnrollParts;
    expect(parts).toMatchObject({ Type: 'Map', MaxConcurrency: 2, ItemsPath: '$.parts' });
    const task = parts.ItemProcessor.States.EnrollPart;
    expect(task.Resource).toBe('arn:aws:states:::states:startExecution.sync:2');
    expect(resolver().resolve(task.Parameters.StateMachineArn)).toBe(resolver().ref(partMachineId()));
    expect(task.Parameters['Name.$']).toBe("States.Format('{}-{}-{}', $.batchId, $.region, $.index)");
    // Only counts come back into the batch's own state; the outcomes stay in the part's execution.
    expect(Object.keys(task.ResultSelector).sort()).toEqual(['enabled.$', 'error.$', 'failed.$', 'part.$', 'region.$']);
  });

  test('the batch-part machine is Standard, traced and logs without execution data (the input holds emails)', () => {
    expect(raw.Resources[partMachineId()].Properties).toMatchObject({
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
    });
  });

  test("each account's member side is the single enrollment's AcceptInvitation function with its retries, maxConcurrentMembers at once", () => {
    const map = partDefinition().States.AcceptInvitations;
    expect(map).toMatchObject({ Type: 'Map', MaxConcurrency: 10, ItemsPath: '$.prepared.invitations' });
    const accept = map.ItemProcessor.States.AcceptInvitation;
    const single = definition.States.EnrollRegions.ItemProcessor.States.AcceptInvitation;
    expect(resolver().resolve(accept.Resource)).toBe(resolver().resolve(single.Resource));
    expect(accept.Retry.map((r: { ErrorEquals: string[] }) => r.ErrorEquals)).toEqual(single.Retry.map((r: { ErrorEquals: string[] }) => r.ErrorEquals));
  });

  test('verification repeats only while memberships are pending and at most VERIFY_ATTEMPTS times', () => {
    const choice = partDefinition().States.IsAnyMembershipPending;
    expect(choice.Choices[0]).toEqual({
      And: [
        { Variable: '$.verified.pending[0]', IsPresent: true },
        { Variable: '$.verified.attempt', NumericLessThan: 6 },
      ],
      Next: 'WaitForMemberships',
    });
    expect(partDefinition().States.WaitForMemberships).toMatchObject({ Type: 'Wait', Seconds: 10 });
  });

  test('the enrollment machine may start only batch-part executions, and describe or stop only those', () => {
    const policy = Object.entries(raw.Resources).find(([id, r]) => r.Type === 'AWS::IAM::Policy' && id.startsWith('WorkflowStateMachineRole'))![1];
    const statements = (policy.Properties as any).PolicyDocument.Statement as Statement[];
    const states = statements.filter((s) => actions(s).some((a) => a.startsWith('states:')));
    expect(states.map((s) => [actions(s).sort(), resolver().resolve(s.Resource)])).toEqual([
      [['states:StartExecution'], resolver().ref(partMachineId())],
      [['states:DescribeExecution', 'states:StopExecution'], `arn:aws:states:us-east-1:111111111111:execution:${partMachineId()}*`],
    ]);
  });
});
