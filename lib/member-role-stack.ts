import { CfnOutput, CfnParameter, Stack } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { grantGuardDutyActions } from './guardduty-grants';
import type { EnrollmentSettings } from './settings';

export interface MemberRoleStackProps extends StackProps {
  readonly settings: EnrollmentSettings;
}

/**
 * The GuardDuty actions the member side of the workflow calls, and nothing else: enrollment's, and
 * offboarding's DisassociateFromAdministratorAccount and DeleteDetector (only with deleteDetector=true).
 */
export const MEMBER_GUARDDUTY_ACTIONS = [
  'guardduty:CreateDetector',
  'guardduty:ListDetectors',
  'guardduty:GetDetector',
  'guardduty:UpdateDetector',
  'guardduty:ListInvitations',
  'guardduty:AcceptAdministratorInvitation',
  'guardduty:GetAdministratorAccount',
  'guardduty:DisassociateFromAdministratorAccount',
  'guardduty:DeleteDetector',
];

/**
 * The role the workflow assumes in a member account. Deploy it in every account to enroll, alone
 * (`cdk deploy GuardDutyEnrollmentMemberRole`) or as a StackSet from its synthesized template; it is
 * IAM only, so one region per account is enough. It trusts only the workflow's role in the
 * administrator account, and only with the ExternalId.
 */
export class MemberRoleStack extends Stack {
  constructor(scope: Construct, id: string, props: MemberRoleStackProps) {
    super(scope, id, props);
    const { settings } = props;
    const adminAccount = new CfnParameter(this, 'AdministratorAccountId', {
      type: 'String',
      allowedPattern: '^[0-9]{12}$',
      description: 'The GuardDuty administrator account where the enrollment API is deployed',
    });
    const externalId = new CfnParameter(this, 'ExternalId', {
      type: 'String',
      default: settings.externalId,
      allowedPattern: '^[\\w+=,.@:/-]{2,1224}$',
      description: 'The ExternalId the workflow presents (setting externalId)',
    });
    const workflowRoleArn = `arn:${this.partition}:iam::${adminAccount.valueAsString}:role/${settings.workflowRoleName}`;

    // Trust the administrator account, narrowed to the workflow's role by aws:PrincipalArn rather
    // than naming the role as principal: IAM rejects a principal role that does not exist yet, and
    // this way the member role can be deployed before or after the administrator stack.
    const role = new iam.Role(this, 'MemberRole', {
      roleName: settings.memberRoleName,
      description: "Lets the GuardDuty enrollment workflow enable GuardDuty here, accept its administrator's invitation and, when offboarding, leave it",
      assumedBy: new iam.AccountPrincipal(adminAccount.valueAsString).withConditions({
        StringEquals: { 'sts:ExternalId': externalId.valueAsString, 'aws:PrincipalArn': workflowRoleArn },
      }),
      maxSessionDuration: undefined,
    });
    // Least privilege through the action list and the trust above: most of these actions take no
    // resource type, so they are granted on "*" (docs/aws-facts.md, IAM).
    grantGuardDutyActions(role, MEMBER_GUARDDUTY_ACTIONS, 'GuardDuty');
    // CreateDetector in an account new to GuardDuty creates its service-linked roles (docs/aws-facts.md, 4.1,
    // pain point 9); the malware-protection one backs EBS_MALWARE_PROTECTION.
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'GuardDutyServiceLinkedRoles',
        actions: ['iam:CreateServiceLinkedRole'],
        resources: [
          `arn:${this.partition}:iam::${this.account}:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty`,
          `arn:${this.partition}:iam::${this.account}:role/aws-service-role/malware-protection.guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDutyMalwareProtection`,
        ],
        conditions: { StringEquals: { 'iam:AWSServiceName': ['guardduty.amazonaws.com', 'malware-protection.guardduty.amazonaws.com'] } },
      }),
    );
    new CfnOutput(this, 'MemberRoleArn', { value: role.roleArn });
  }
}
