/** One synthesis with real esbuild bundling: small, minified bundles that carry their own AWS SDK. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildApp } from '../../lib/app';
import { cdkJsonContext } from '../../local/runtime/template/synth';
import { temporaryApp } from '../helpers/temporary-app';

/**
 * An operation of the SDK client each step's bundle must carry: GuardDuty's for most steps, Step
 * Functions' for the event target and the fleet roster; null for a step that calls no AWS API (it
 * publishes metrics by its log, in CloudWatch's embedded metric format).
 */
const SDK_CALL_OF: Record<string, string | null> = {
  'enroll-from-event': 'StartExecution',
  'read-fleet-roster': 'ListExecutions',
  'record-enrollment-outcomes': null,
};

test('each step bundles to one minified file under 1 MB with the SDK inside and no dependency on the SDK of the Lambda runtime', () => {
  const { app, outdir } = temporaryApp({ context: cdkJsonContext() });
  const { enrollment } = buildApp(app, { account: '111111111111', region: 'us-east-1' });
  const assembly = app.synth();
  const template = assembly.getStackByName(enrollment.stackName).template as {
    Resources: Record<string, { Type: string; Properties: { Code: { S3Key: string } } }>;
  };
  const functions = Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
  expect(functions).toHaveLength(14);
  for (const fn of functions) {
    // The asset staged for the function is named after the hash its S3 key carries.
    const assetDir = path.join(outdir, `asset.${fn.Properties.Code.S3Key.replace(/\.zip$/, '')}`);
    expect(fs.readdirSync(assetDir)).toEqual(['index.js']);
    const code = fs.readFileSync(path.join(assetDir, 'index.js'), 'utf8');
    expect(code.length).toBeLessThan(600_000); // tree-shaken SDK: ~440 KB
    const entry = (fn as { Metadata?: Record<string, string> }).Metadata?.['gde:handler-entry'] ?? '';
    const handler = path.basename(entry, '.ts');
    const call = handler in SDK_CALL_OF ? SDK_CALL_OF[handler] : 'AcceptAdministratorInvitation';
    const sdkRequires = new Set(code.match(/require\("@aws-sdk\/[^"]+"\)/g));
    if (call === null) {
      // A step that calls no AWS API carries no SDK at all.
      expect({ handler, sdkRequires: [...sdkRequires], hasGuardDuty: code.includes('AcceptAdministratorInvitation') }).toEqual({
        handler,
        sdkRequires: [],
        hasGuardDuty: false,
      });
    } else {
      // The only @aws-sdk require left is the SDK's own optional, try/catch-guarded CRT signer (SigV4a).
      expect([...sdkRequires]).toEqual(['require("@aws-sdk/signature-v4-crt")']);
      // The SDK client of the service the step calls is inside.
      expect({ handler, hasClient: code.includes(call) }).toEqual({ handler, hasClient: true });
    }
    expect(code.length / code.split('\n').length).toBeGreaterThan(2000); // minified: long lines
    // The bundle loads on its own and exports the handler Lambda calls.
    const loaded = require(path.join(assetDir, 'index.js')) as { handler?: unknown };
    expect(typeof loaded.handler).toBe('function');
  }
});
