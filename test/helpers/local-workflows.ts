import { synthesizeTemplates } from '../../local/runtime/template/synth';
import type { CfnTemplate } from '../../local/runtime/template/synth';
import { TemplateResolver } from '../../local/runtime/template/resolver';
import { LocalWorkflow } from '../../local/runtime/step-functions/runner';
import { ADMIN_ACCOUNT } from './guardduty-mocks';

/** The synthesized app's state machines, run by aws-local-stepfunctions with the real handlers in process. */
export interface LocalWorkflows {
  template: CfnTemplate;
  enrollment: LocalWorkflow;
  batchParts: LocalWorkflow;
  /** Puts back the process environment as it was before {@link loadLocalWorkflows}. */
  restoreEnvironment(): void;
}

/**
 * Synthesizes the app and gives the handlers what Lambda would: the template's environment, a
 * region, and administrator credentials the mocked clients tell apart from the member's.
 */
export function loadLocalWorkflows(): LocalWorkflows {
  const saved = { ...process.env };
  const template = synthesizeTemplates({ env: { account: ADMIN_ACCOUNT, region: 'us-east-1' } }).enrollment;
  const resolver = new TemplateResolver(template, { account: ADMIN_ACCOUNT, region: 'us-east-1' });
  const enrollment = new LocalWorkflow(resolver);
  Object.assign(process.env, enrollment.environment(), {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'AKIDADMINLAMBDA',
    AWS_SECRET_ACCESS_KEY: 'secret',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    // The mocks model GuardDuty and STS only: no Organizations to check emails against.
    CHECK_EMAIL_WITH_ORGANIZATIONS: 'false',
    // The workflow tests cover detector deletion; the API and RemoveMember refuse it unless allowed.
    ALLOW_DETECTOR_DELETION: 'true',
  });
  return {
    template,
    enrollment,
    batchParts: new LocalWorkflow(resolver, 'batch-part'),
    restoreEnvironment: () => {
      process.env = saved;
    },
  };
}
