import { protectionPlansSchema } from './protection-plans';
import { GUARDDUTY_REGIONS } from './guardduty-regions';
import {
  ACCOUNT_ID_PATTERN,
  EMAIL_MAX_LENGTH,
  EMAIL_MIN_LENGTH,
  EMAIL_PATTERN,
  MAX_ACCOUNTS_PER_BATCH,
  MAX_INVITATION_MESSAGE_LENGTH,
  MAX_REGIONS_PER_ENROLLMENT,
  REGION_PATTERN,
} from './api-rules';

/**
 * JSON Schema (draft-04, the dialect API Gateway models use) of `POST /enrollments`. API Gateway
 * validates bodies against it before anything starts; local mode validates with the same object.
 */
export const ENROLLMENT_REQUEST_SCHEMA = {
  $schema: 'http://json-schema.org/draft-04/schema#',
  title: 'EnrollmentRequest',
  type: 'object',
  additionalProperties: false,
  required: ['accountId', 'email'],
  properties: {
    accountId: { type: 'string', pattern: ACCOUNT_ID_PATTERN, description: 'The 12-digit id of the account to enroll.' },
    email: {
      type: 'string',
      minLength: EMAIL_MIN_LENGTH,
      maxLength: EMAIL_MAX_LENGTH,
      pattern: EMAIL_PATTERN,
      description: "The account's root user email, as GuardDuty requires.",
    },
    regions: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_REGIONS_PER_ENROLLMENT,
      uniqueItems: true,
      // GuardDuty's own regions (docs/aws-facts.md, Regions): API Gateway's validator names a value outside the enum.
      items: { type: 'string', enum: GUARDDUTY_REGIONS },
      description: 'Regions where GuardDuty runs to enroll the account in; the deployment default when absent.',
    },
    invitationMessage: { type: 'string', maxLength: MAX_INVITATION_MESSAGE_LENGTH, description: 'Message sent with the invitation.' },
    protectionPlans: protectionPlansSchema(),
  },
} as const;

/**
 * What a batch's Idempotency-Key may be: it becomes the batch's execution name, and each part's
 * execution is named `<batchId>-<region>-<index>`, which must stay within Step Functions' 80
 * characters with a 32-character region name and a 2-digit index (40 + 1 + 32 + 1 + 2 = 76).
 */
export const BATCH_ID_PATTERN = '^[A-Za-z0-9_-]{1,40}$';

/** The CSV header of a batch, as the GuardDuty console's "Add accounts" file has it. */
export const CSV_HEADER = 'Account ID,Email';

/**
 * JSON Schema (draft-04) of `POST /enrollments/batch` as JSON. The same account fields and rules as
 * an enrollment; a CSV body (`text/csv`, header `Account ID,Email`) is checked line by line by its
 * mapping template against the same patterns.
 */
export const BATCH_REQUEST_SCHEMA = {
  $schema: 'http://json-schema.org/draft-04/schema#',
  title: 'BatchEnrollmentRequest',
  type: 'object',
  additionalProperties: false,
  required: ['accounts'],
  properties: {
    accounts: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_ACCOUNTS_PER_BATCH,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['accountId', 'email'],
        properties: {
          accountId: ENROLLMENT_REQUEST_SCHEMA.properties.accountId,
          email: ENROLLMENT_REQUEST_SCHEMA.properties.email,
        },
      },
      description: `The accounts to enroll (1 to ${MAX_ACCOUNTS_PER_BATCH}, each account once).`,
    },
    regions: ENROLLMENT_REQUEST_SCHEMA.properties.regions,
    invitationMessage: ENROLLMENT_REQUEST_SCHEMA.properties.invitationMessage,
    protectionPlans: ENROLLMENT_REQUEST_SCHEMA.properties.protectionPlans,
  },
} as const;

/** The 400 message of a batch that the batch mapping templates refuse. */
export const INVALID_BATCH_MESSAGE =
  `A batch lists 1 to ${MAX_ACCOUNTS_PER_BATCH} distinct accounts. As text/csv: the header line '${CSV_HEADER}', then one '<12-digit account id>,<root user email>' per line ` +
  `(emails of 6 to 64 characters, as GuardDuty accepts); regions, when given, as the query string regions=us-east-1,eu-west-1 (1 to ${MAX_REGIONS_PER_ENROLLMENT} distinct names); protection plans, when given, as protectionPlans=S3_DATA_EVENTS:ENABLED,EBS_MALWARE_PROTECTION:DISABLED ` +
  '(member features, each once, not both EKS_RUNTIME_MONITORING and RUNTIME_MONITORING). ' +
  'Idempotency-Key, when given, is 1 to 40 letters, digits, hyphens or underscores.';

/** REGION_PATTERN without its anchors, to repeat it in a comma-separated list. */
const REGION_BODY = REGION_PATTERN.replace(/^\^|\$$/g, '');

/** A batch part's id in the API: `<region>-<index>`. */
export const PART_ID_PATTERN = `^${REGION_BODY}-[0-9]{1,2}$`;

/** Offboarding's `regions` query string: region names joined by commas (offboard.request.vtl). */
export const REGION_LIST_PATTERN = `^${REGION_BODY}(,${REGION_BODY})*$`;

/** The 400 message of an offboarding request that offboard.request.vtl refuses. */
export const INVALID_OFFBOARD_MESSAGE =
  `Offboarding needs a 12-digit account id in the path; regions, when given, a comma-separated list of 1 to ${MAX_REGIONS_PER_ENROLLMENT} distinct region names such as us-east-1,eu-west-1; ` +
  'deleteDetector, when given, true or false; Idempotency-Key, when given, 1 to 80 letters, digits, hyphens or underscores.';
