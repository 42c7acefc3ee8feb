/**
 * Who asked for an enrollment, an offboarding or a batch: `requestedBy` in the execution input,
 * returned by the GET routes and logged by the steps. It is set by whatever authenticated the caller,
 * never taken from a request body (the request models refuse the field):
 * - the API with IAM authorization: the caller's ARN (`$context.identity.userArn`);
 * - the API with the API key alone: `apiKey:<the key's id>` (`$context.identity.apiKeyId`), never its value;
 * - an enrollment event: `event:<source>/<account that put it>`.
 */

/** The execution input field. */
export const REQUESTED_BY_FIELD = 'requestedBy';

/** The prefix of a caller known only by its API key id. */
export const API_KEY_CALLER_PREFIX = 'apiKey:';

/** Characters a requestedBy keeps (ARNs, key ids, event sources); anything else becomes `_`, so it is JSON-safe as it is. */
export const REQUESTED_BY_UNSAFE_PATTERN = '[^A-Za-z0-9_+=,.@:/-]';

/** The caller of an event-driven enrollment: the event's source and the account that put it on the bus. */
export function eventCaller(source: string, account: string): string {
  return `event:${source}/${account}`.replace(new RegExp(REQUESTED_BY_UNSAFE_PATTERN, 'g'), '_');
}

/**
 * The answer to `deleteDetector=true` while the deployment does not allow deleting member detectors
 * (setting `allowDetectorDeletion`, default false): a 400, and nothing starts.
 */
export const DETECTOR_DELETION_DISABLED_MESSAGE =
  'deleteDetector=true is refused: this deployment does not allow deleting member detectors. To allow it, deploy with the setting ' +
  'allowDetectorDeletion set to true (cdk.json guarddutyEnrollment.allowDetectorDeletion, or -c guarddutyEnrollment:allowDetectorDeletion=true). ' +
  'Offboarding without deleteDetector keeps the detector running.';
