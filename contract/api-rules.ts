/**
 * The rules both sides of the product apply: the API edge (API Gateway models and mapping
 * templates, lib/), the workflow's steps (lambda/), the command line (cli/) and local mode. Each
 * rule is written here once, as a pattern string that Java (API Gateway), ajv, VTL `matches` and
 * JavaScript read alike (no look-arounds). This module imports nothing.
 */

/** An AWS account id: exactly 12 digits. */
export const ACCOUNT_ID_PATTERN = '^[0-9]{12}$';

/** Region names: `us-east-1`, `ap-southeast-4`, `us-gov-west-1`, `eu-central-2`, `eusc-de-east-1`. */
export const REGION_PATTERN = '^[a-z]{2,4}(-[a-z]+)+-[0-9]{1,2}$';

/**
 * The longest region name accepted. Region names today are at most 14 characters (ap-southeast-7);
 * without a bound, 40 names of a few thousand characters pass the model and then exceed Step
 * Functions' 256 KiB execution input, which the caller would get as a 500.
 */
export const REGION_NAME_MAX_LENGTH = 32;

/** The most regions one enrollment may name (AWS has fewer than 40 commercial regions). */
export const MAX_REGIONS_PER_ENROLLMENT = 40;

/** The longest invitation message the API accepts. */
export const MAX_INVITATION_MESSAGE_LENGTH = 1000;

/**
 * GuardDuty's documented email rule (docs/aws-facts.md, 4.1, AccountDetail.Email): 7-bit ASCII, one
 * `@`; the local part has none of whitespace `" ' ( ) < > [ ] : , \ | % &` and does not start with
 * `.`; the domain is `[A-Za-z0-9.-]` with at least one dot and no leading or trailing `.` or `-`.
 */
export const EMAIL_PATTERN = '^[!#$*+/0-9;=?A-Z^_`a-z{}~-][!#$*+./0-9;=?A-Z^_`a-z{}~-]*@[A-Za-z0-9][A-Za-z0-9.-]*\\.[A-Za-z0-9.-]*[A-Za-z0-9]$';
/** GuardDuty's documented email length bounds (docs/aws-facts.md, 4.1). */
export const EMAIL_MIN_LENGTH = 6;
export const EMAIL_MAX_LENGTH = 64;

/**
 * What an Idempotency-Key may be: it becomes the execution name, which Step Functions limits to 80
 * characters and forbids most punctuation in; this stricter set is what we promise callers.
 */
export const IDEMPOTENCY_KEY_PATTERN = '^[A-Za-z0-9_-]{1,80}$';

/** The most accounts one `POST /enrollments/batch` may list. */
export const MAX_ACCOUNTS_PER_BATCH = 1000;

/**
 * The most accounts GuardDuty takes in one CreateMembers, InviteMembers, GetMembers,
 * DisassociateMembers or DeleteMembers call (docs/aws-facts.md, 4.2: AccountIds max 50).
 */
export const MAX_ACCOUNTS_PER_CALL = 50;

/** GuardDuty's finding publishing frequencies (API reference: CreateDetector; docs/aws-facts.md, 4.2). */
export const FINDING_PUBLISHING_FREQUENCIES = ['FIFTEEN_MINUTES', 'ONE_HOUR', 'SIX_HOURS'] as const;
export type FindingPublishingFrequency = (typeof FINDING_PUBLISHING_FREQUENCIES)[number];

/** STS AssumeRole `ExternalId`: 2 to 1224 of `[\w+=,.@:/-]` (docs/aws-facts.md, 4.6). */
export const EXTERNAL_ID_PATTERN = '^[\\w+=,.@:/-]{2,1224}$';

/** IAM role names: 1 to 64 of `[\w+=,.@-]` (IAM API reference, CreateRole RoleName). */
export const ROLE_NAME_PATTERN = '^[\\w+=,.@-]{1,64}$';
