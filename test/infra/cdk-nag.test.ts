/** cdk-nag's AwsSolutions pack finds nothing unacknowledged, and every acknowledgement says why. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildApp } from '../../lib/app';
import { cdkJsonContext } from '../../local/runtime/template/synth';

let outdir: string;
beforeEach(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gde-nag-'));
});
afterEach(() => fs.rmSync(outdir, { recursive: true, force: true }));

function newApp(): App {
  return new App({ outdir, context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } });
}

test('both stacks have zero unacknowledged AwsSolutions findings', () => {
  const app = newApp();
  buildApp(app, { account: '111111111111', region: 'us-east-1' });
  const report = new AwsSolutionsChecks().validateScope(app);
  expect(report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
  expect(report.success).toBe(true);
});

test('every acknowledgement carries a reason a reviewer can read', () => {
  const app = newApp();
  buildApp(app, { account: '111111111111', region: 'us-east-1' });
  const acknowledgements = app.node
    .findAll()
    .flatMap((c) => c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY))
    .flatMap((m) => Object.entries(m.data as Record<string, string>));
  expect(acknowledgements.length).toBeGreaterThan(5);
  for (const [id, reason] of acknowledgements) {
    expect(id).toMatch(/AwsSolutions-/);
    expect(reason.length).toBeGreaterThan(40);
  }
});

test('a new unacknowledged wildcard fails synthesis, so the check is live', () => {
  const app = newApp();
  const { enrollment } = buildApp(app, { account: '111111111111', region: 'us-east-1' });
  enrollment.workflow.steps.verifyMembership.role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::bucket/*'] }));
  expect(() => app.synth()).toThrow(/AwsSolutions-IAM5\[Resource::arn:aws:s3:::bucket\/\*\]/);
});
