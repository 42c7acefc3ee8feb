import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { buildApp } from '../../../lib/app';
import { PROJECT_ROOT } from '../../../lib/step-lambda';

/** A CloudFormation template as synthesized. */
export type CfnTemplate = { Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown> }> } & Record<string, unknown>;

export interface SynthOptions {
  /** Context on top of cdk.json's (settings live under `guarddutyEnrollment`). @default {} */
  readonly context?: Record<string, unknown>;
  /** Bundle the Lambda code with esbuild. @default false */
  readonly bundling?: boolean;
  /** The administrator account and region to synthesize for. @default 111111111111 / us-east-1 */
  readonly env?: { account: string; region: string };
}

/** The context in cdk.json, so in-process synthesis uses the deployment's settings. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
  return cdkJson.context ?? {};
}

/**
 * Synthesizes the app in process, as `cdk synth` would, into a temporary folder that is removed
 * afterwards, and returns both stacks' templates.
 */
export function synthesizeTemplates(options: SynthOptions = {}): { enrollment: CfnTemplate; memberRole: CfnTemplate } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gde-synth-'));
  try {
    const app = new App({
      outdir,
      context: {
        ...cdkJsonContext(),
        ...(options.bundling ? {} : { 'aws:cdk:bundling-stacks': [] }),
        ...options.context,
      },
    });
    const { enrollment, memberRole } = buildApp(app, options.env ?? { account: '111111111111', region: 'us-east-1' });
    const assembly = app.synth();
    return {
      enrollment: assembly.getStackByName(enrollment.stackName).template as CfnTemplate,
      memberRole: assembly.getStackByName(memberRole.stackName).template as CfnTemplate,
    };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
