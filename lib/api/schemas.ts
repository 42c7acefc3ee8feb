import { MAX_INVITATION_MESSAGE_LENGTH, MAX_REGIONS_PER_ENROLLMENT, REGION_PATTERN } from '../settings';

/**
 * GuardDuty's documented email rule (facts 4.1, AccountDetail.Email): 7-bit ASCII, one `@`; the
 * local part has none of whitespace `" ' ( ) < > [ ] : , \ | % &` and does not start with `.`;
 * the domain is `[A-Za-z0-9.-]` with at least one dot and no leading or trailing `.` or `-`.
 * Written without look-arounds so that API Gateway (Java), ajv and VTL `matches` read it alike.
 */
export const EMAIL_PATTERN =
  "^[!#$*+/0-9;=?A-Z^_`a-z{}~-][!#$*+./0-9;=?A-Z^_`a-z{}~-]*@[A-Za-z0-9][A-Za-z0-9.-]*\\.[A-Za-z0-9.-]*[A-Za-z0-9]$";
/** GuardDuty's documented email length bounds (facts 4.1). */
export const EMAIL_MIN_LENGTH = 6;
export const EMAIL_MAX_LENGTH = 64;
/**
 * The longest region name accepted. Region names today are at most 14 characters (ap-southeast-7);
 * without a bound, 40 names of a few thousand characters pass the model and then exceed Step
 * Functions' 256 KiB execution input, which the caller would get as a 500.
 */
export const REGION_NAME_MAX_LENGTH = 32;
/** An AWS account id. */
export const ACCOUNT_ID_PATTERN = '^[0-9]{12}$';
/**
 * What an Idempotency-Key may be: it becomes the execution name, which Step Functions limits to 80
 * characters and forbids most punctuation in; this stricter set is what we promise callers.
 */
export const IDEMPOTENCY_KEY_PATTERN = '^[A-Za-z0-9_-]{1,80}$';

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
      items: { type: 'string', pattern: REGION_PATTERN, maxLength: REGION_NAME_MAX_LENGTH },
      description: 'Regions to enroll the account in; the deployment default when absent.',
    },
    invitationMessage: { type: 'string', maxLength: MAX_INVITATION_MESSAGE_LENGTH, description: 'Message sent with the invitation.' },
  },
} as const;

/** REGION_PATTERN without its anchors, to repeat it in a comma-separated list. */
const REGION_BODY = REGION_PATTERN.replace(/^\^|\$$/g, '');

/** Offboarding's `regions` query string: region names joined by commas (offboard.request.vtl). */
export const REGION_LIST_PATTERN = `^${REGION_BODY}(,${REGION_BODY})*$`;

/** The 400 message of an offboarding request that offboard.request.vtl refuses. */
export const INVALID_OFFBOARD_MESSAGE =
  `Offboarding needs a 12-digit account id in the path; regions, when given, a comma-separated list of 1 to ${MAX_REGIONS_PER_ENROLLMENT} distinct region names such as us-east-1,eu-west-1; ` +
  'deleteDetector, when given, true or false; Idempotency-Key, when given, 1 to 80 letters, digits, hyphens or underscores.';
