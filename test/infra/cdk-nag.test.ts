/** cdk-nag's AwsSolutions pack finds nothing unacknowledged, and every acknowledgement says why. */
import { Validations } from 'aws-cdk-lib';
import type { App } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildApp } from '../../lib/app';
import { cdkJsonContext } from '../../local/runtime/template/synth';
import { temporaryApp } from '../helpers/temporary-app';

function newApp(): App {
  return temporaryApp({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } }).app;
}

/** The app as deployed, built once for the tests that only read it. */
let app: App;
beforeAll(() => {
  app = newApp();
  buildApp(app, { account: '111111111111', region: 'us-east-1' });
});

test('both stacks have zero unacknowledged AwsSolutions findings', () => {
  const report = new AwsSolutionsChecks().validateScope(app);
  expect(report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
  expect(report.success).toBe(true);
});

test('every acknowledgement carries a reason a reviewer can read', () => {
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
  const changed = newApp();
  const { enrollment } = buildApp(changed, { account: '111111111111', region: 'us-east-1' });
  enrollment.workflow.steps.verifyMembership.role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::bucket/*'] }));
  expect(() => changed.synth()).toThrow(/AwsSolutions-IAM5\[Resource::arn:aws:s3:::bucket\/\*\]/);
});
