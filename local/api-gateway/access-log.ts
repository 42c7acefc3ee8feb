/** The stage's access log: its `AccessLogSetting.Format` with the request's `$context` variables filled in. */
import { substituteVariables } from './context-variables';

/**
 * Renders one access log line. As in API Gateway, a variable without a value is written `-`.
 * Choice (the docs are silent): values are escaped as inside a JSON string, so that a JSON format
 * (the usual kind, and this app's) stays valid JSON whatever a value holds.
 */
export function renderAccessLog(format: string, context: Record<string, unknown>, stageVariables: Record<string, string>): string {
  return substituteVariables(format, { context, stageVariables }, { missing: '-', escape: (value) => JSON.stringify(value).slice(1, -1) });
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `$context.requestTime`: CLF-formatted time, `dd/MMM/yyyy:HH:mm:ss +0000`. */
export function requestTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}
