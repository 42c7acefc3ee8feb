/** Secrets and least privilege: what must never leak, and what no role may do. */
import type { CaseDefinition } from './case-definition';

const EVERYWHERE = 'Lambda logs (DEBUG), execution input/output/cause, every state input/output, API access logs, API answers';

export const SECRETS_CASES: readonly CaseDefinition[] = [
  {
    id: 'secrets/no-credentials',
    suite: 'secrets',
    tried: `enrollments that succeed, retry and fail on either side; searched ${EVERYWHERE}`,
    expected: "no access key id, secret key or session token the emulator minted (ASIA…), nor the administrator's key",
  },
  {
    id: 'secrets/no-api-key-value',
    suite: 'secrets',
    tried: `the API key value, searched ${EVERYWHERE}`,
    expected: 'absent (access logs carry the key id only)',
  },
  {
    id: 'secrets/email-only-where-unavoidable',
    suite: 'secrets',
    tried: 'each full email, searched everywhere',
    expected: 'only in the execution input and the states that carry it up to CreateMember; never in later states, outputs, causes, logs or access logs',
  },
  { id: 'secrets/logs-mask-email', suite: 'secrets', tried: 'Lambda log lines about the member', expected: 'the masked form (`a***@example.com`) only' },
  {
    id: 'secrets/external-id-not-echoed',
    suite: 'secrets',
    tried: 'the ExternalId, including a role that expects another one',
    expected: 'absent from outcomes, logs and access logs',
  },
  {
    id: 'secrets/workflow-assumes-only-member-role',
    suite: 'secrets',
    tried: 'sts:AssumeRole on generated role names and paths in any account, against every policy of every role in the stack',
    expected: 'denied, except the member role name, for the member-side step only',
  },
  {
    id: 'secrets/member-trust-requires-external-id',
    suite: 'secrets',
    tried: "assuming the member role with generated ExternalIds and principals, against the role's trust policy",
    expected: "allowed only for the workflow's role with the configured ExternalId",
  },
  {
    id: 'secrets/every-method-requires-key',
    suite: 'secrets',
    tried: 'every method the template declares, with no key and with a wrong key',
    expected: '403 with a message; no execution started',
  },
];
