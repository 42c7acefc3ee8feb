/**
 * Who may call the API, as deployed: the methods' authorization (AWS_IAM or the API key alone), the
 * API's resource policy (allowed principals, organization, VPC endpoints) and its endpoint type.
 * One place, so the API construct, the template tests and local mode read the same rules.
 */
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { AuthorizationType, EndpointType } from 'aws-cdk-lib/aws-apigateway';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { Construct } from 'constructs';
import { acknowledgeRule } from '../nag';
import type { EnrollmentSettings } from '../settings';

type AccessSettings = Pick<EnrollmentSettings, 'authorization' | 'allowedPrincipals' | 'allowedOrganizationId' | 'endpointType' | 'vpcEndpointIds'>;

/** `execute-api:/*`: API Gateway puts the API's own ARN in its place when it stores the policy. */
export const API_POLICY_RESOURCE = 'execute-api:/*';

const ROOT_ARN = /^arn:[^:]+:iam::(\d{12}):root$/;

/** A statement on every method of the API, for any principal, under `condition`. */
function statement(effect: 'Allow' | 'Deny', condition?: Record<string, Record<string, string | string[]>>): Record<string, unknown> {
  return { Effect: effect, Principal: '*', Action: 'execute-api:Invoke', Resource: API_POLICY_RESOURCE, ...(condition ? { Condition: condition } : {}) };
}

/**
 * The API's resource policy as JSON, or undefined when it needs none (`apiKey`, REGIONAL).
 *
 * With `iam`, the allowance is `allowedPrincipals` (roles and users by `aws:PrincipalArn`, accounts
 * by `aws:PrincipalAccount`) and `allowedOrganizationId` (`aws:PrincipalOrgID`), or this account when
 * both are empty. Everyone else is denied explicitly. The allowance is granted (Allow) only to callers
 * of other accounts: for a caller of this account, API Gateway allows a request that either its
 * identity policy or the resource policy allows (docs/aws-facts.md, "API Gateway access"), so an Allow
 * here would let this account's principals in with no identity policy. A caller therefore always
 * needs both its identity policy's `execute-api:Invoke` and the resource policy's allowance.
 *
 * PRIVATE adds a Deny for requests that did not come through one of `vpcEndpointIds`
 * (`aws:SourceVpce`). With `apiKey`, callers are anonymous to the policy, so a PRIVATE API gets an
 * Allow for everyone through those endpoints (a policy-only API needs an explicit Allow).
 */
export function apiResourcePolicy(settings: AccessSettings, account: string): Record<string, unknown> | undefined {
  const statements: Record<string, unknown>[] = [];
  if (settings.authorization === 'iam') {
    const accounts = settings.allowedPrincipals.flatMap((arn) => ROOT_ARN.exec(arn)?.[1] ?? []);
    const principals = settings.allowedPrincipals.filter((arn) => !ROOT_ARN.test(arn));
    const organization = settings.allowedOrganizationId;
    if (accounts.length === 0 && principals.length === 0 && organization === '') accounts.push(account);
    // Negated operators match when the key is absent (a principal in no organization): denied, as it should be.
    const outside: Record<string, Record<string, string | string[]>> = {};
    if (principals.length > 0) outside.ArnNotLike = { 'aws:PrincipalArn': principals };
    const notEquals: Record<string, string | string[]> = {};
    if (accounts.length > 0) notEquals['aws:PrincipalAccount'] = accounts;
    if (organization !== '') notEquals['aws:PrincipalOrgID'] = organization;
    if (Object.keys(notEquals).length > 0) outside.StringNotEquals = notEquals;
    statements.push({ Sid: 'DenyOutsideAllowance', ...statement('Deny', outside) });
    const otherAccount = { StringNotEquals: { 'aws:PrincipalAccount': account } };
    if (principals.length > 0)
      statements.push({ Sid: 'AllowPrincipalsOfOtherAccounts', ...statement('Allow', { ArnLike: { 'aws:PrincipalArn': principals }, ...otherAccount }) });
    const others = accounts.filter((id) => id !== account);
    if (others.length > 0) statements.push({ Sid: 'AllowOtherAccounts', ...statement('Allow', { StringEquals: { 'aws:PrincipalAccount': others } }) });
    if (organization !== '')
      statements.push({ Sid: 'AllowOrganization', ...statement('Allow', { StringEquals: { 'aws:PrincipalOrgID': organization }, ...otherAccount }) });
  }
  if (settings.endpointType === 'PRIVATE') {
    statements.push({ Sid: 'DenyOutsideVpcEndpoints', ...statement('Deny', { StringNotEquals: { 'aws:SourceVpce': settings.vpcEndpointIds } }) });
    if (settings.authorization === 'apiKey') statements.push({ Sid: 'AllowThroughVpcEndpoints', ...statement('Allow') });
  }
  return statements.length === 0 ? undefined : { Version: '2012-10-17', Statement: statements };
}

/** The RestApi properties that carry the access settings. */
export function apiAccessProps(
  scope: Construct,
  settings: AccessSettings,
  account: string,
): Pick<apigateway.RestApiProps, 'endpointConfiguration' | 'policy' | 'defaultMethodOptions'> {
  const policy = apiResourcePolicy(settings, account);
  const endpoints = new Construct(scope, 'VpcEndpoints');
  return {
    endpointConfiguration:
      settings.endpointType === 'PRIVATE'
        ? {
            types: [EndpointType.PRIVATE],
            vpcEndpoints: settings.vpcEndpointIds.map((vpcEndpointId) =>
              ec2.InterfaceVpcEndpoint.fromInterfaceVpcEndpointAttributes(endpoints, vpcEndpointId, { vpcEndpointId, port: 443 }),
            ),
          }
        : { types: [EndpointType.REGIONAL] },
    policy: policy === undefined ? undefined : iam.PolicyDocument.fromJson(policy),
    // The API key stays required in both modes: it carries the usage plan's throttle and quota.
    defaultMethodOptions: { authorizationType: settings.authorization === 'iam' ? AuthorizationType.IAM : AuthorizationType.NONE, apiKeyRequired: true },
  };
}

/** cdk-nag's authorization findings, acknowledged only where they are true. */
export function acknowledgeAccess(api: IConstruct, settings: Pick<EnrollmentSettings, 'authorization'>): void {
  if (settings.authorization === 'apiKey') {
    acknowledgeRule(
      api,
      'AwsSolutions-APIG4',
      "Deployed with authorization 'apiKey' on purpose, for callers that cannot sign requests: the API key and usage plan are then the only access control, which AWS advises against (README, Access). The default, 'iam', needs no acknowledgement.",
    );
    acknowledgeRule(api, 'AwsSolutions-COG4', "No Cognito user pool: with authorization 'apiKey' callers are machines holding an API key (see APIG4).");
    return;
  }
  // cdk-nag's COG4 passes only COGNITO_USER_POOLS methods, so AWS_IAM cannot satisfy it.
  acknowledgeRule(
    api,
    'AwsSolutions-COG4',
    'Every method uses AWS_IAM authorization (SigV4) and the resource policy: callers are AWS principals (pipelines, backends, engineers), not end users a Cognito user pool would hold.',
  );
}
