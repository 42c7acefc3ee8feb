import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { mappingTemplate, TEMPLATE_CONSTANTS } from '../enrollment-api';
import { acknowledgeWildcardResource } from '../nag';

/** A check id: an execution name of the fleet-check machine (the API's are request ids, Scheduler's UUIDs). */
export const FLEET_CHECK_ID_PATTERN = '^[A-Za-z0-9_-]{1,80}$';

export interface FleetCheckRoutesProps {
  readonly fleetStateMachine: sfn.StateMachine;
  readonly partStateMachine: sfn.StateMachine;
}

/**
 * The fleet-check routes (issue 14), on the enrollment API with its API key: `POST /fleet-checks`
 * (StartExecution), `GET /fleet-checks` (ListExecutions: the 20 most recent), `GET
 * /fleet-checks/{checkId}` (DescribeExecution: counts per region and status) and `GET
 * /fleet-checks/{checkId}/parts/{partId}` (a part's drifted accounts: the paging of a large fleet).
 * Their integration role may do exactly that on the two fleet machines.
 */
export function addFleetCheckRoutes(api: apigateway.RestApi, props: FleetCheckRoutesProps): void {
  const stack = Stack.of(api);
  const role = new iam.Role(api, 'FleetCheckIntegrationRole', {
    assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
    description: 'Lets the enrollment API start, list and read fleet checks',
  });
  props.fleetStateMachine.grantStartExecution(role);
  role.addToPolicy(new iam.PolicyStatement({ actions: ['states:ListExecutions'], resources: [props.fleetStateMachine.stateMachineArn] }));
  const executionPrefix = (machine: sfn.StateMachine) =>
    stack.formatArn({ service: 'states', resource: 'execution', resourceName: `${machine.stateMachineName}:`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  const readable = [props.fleetStateMachine, props.partStateMachine].map((machine) => `${executionPrefix(machine)}*`);
  role.addToPolicy(new iam.PolicyStatement({ actions: ['states:DescribeExecution'], resources: readable }));
  for (const resource of readable) acknowledgeWildcardResource(role, resource, 'Fleet checks and their parts are named at run time; the resource is limited to executions of the two fleet-check machines, read only.');

  const values = {
    ...TEMPLATE_CONSTANTS,
    FleetStateMachineArn: props.fleetStateMachine.stateMachineArn,
    FleetExecutionArnPrefix: executionPrefix(props.fleetStateMachine),
    FleetPartExecutionArnPrefix: executionPrefix(props.partStateMachine),
    FleetCheckIdPattern: FLEET_CHECK_ID_PATTERN,
  };
  const integration = (action: string, name: string, successStatus: string) =>
    new apigateway.AwsIntegration({
      service: 'states',
      action,
      options: {
        credentialsRole: role,
        passthroughBehavior: apigateway.PassthroughBehavior.NEVER,
        requestTemplates: { 'application/json': mappingTemplate(`${name}.request.vtl`, values) },
        integrationResponses: [
          { statusCode: successStatus, responseTemplates: { 'application/json': mappingTemplate(`${name}.response.vtl`, values) } },
          { selectionPattern: '4\\d{2}', statusCode: '400', responseTemplates: { 'application/json': mappingTemplate('describe-fleet-check.error.vtl', values) } },
          { selectionPattern: '5\\d{2}', statusCode: '502', responseTemplates: { 'application/json': '{"message": "Step Functions is unavailable; retry later."}' } },
        ],
      },
    });
  const validator = api.addRequestValidator('FleetCheckValidator', { validateRequestParameters: true });
  const method = (successStatus: string, path: string[] = []): apigateway.MethodOptions => ({
    apiKeyRequired: true,
    requestValidator: validator,
    requestParameters: Object.fromEntries(path.map((name) => [`method.request.path.${name}`, true])),
    methodResponses: [successStatus, '400', '404', '429', '500', '502'].map((statusCode) => ({
      statusCode,
      responseParameters: statusCode === '429' ? { 'method.response.header.Retry-After': false } : undefined,
    })),
  });

  const checks = api.root.addResource('fleet-checks');
  checks.addMethod('POST', integration('StartExecution', 'start-fleet-check', '202'), method('202'));
  checks.addMethod('GET', integration('ListExecutions', 'list-fleet-checks', '200'), method('200'));
  const check = checks.addResource('{checkId}');
  check.addMethod('GET', integration('DescribeExecution', 'describe-fleet-check', '200'), method('200', ['checkId']));
  check.addResource('parts').addResource('{partId}').addMethod('GET', integration('DescribeExecution', 'describe-fleet-part', '200'), method('200', ['checkId', 'partId']));
}
