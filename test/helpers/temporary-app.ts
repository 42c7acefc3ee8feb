import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import type { AppProps } from 'aws-cdk-lib';

const outdirs: string[] = [];
afterAll(() => {
  for (const outdir of outdirs.splice(0)) fs.rmSync(outdir, { recursive: true, force: true });
});

/**
 * A CDK App whose cloud assembly goes to its own temporary folder, removed after the test file's
 * tests. `new App()` without an outdir leaves a `cdk.out*` folder in the temp directory every time.
 */
export function temporaryApp(props: Omit<AppProps, 'outdir'> = {}): { app: App; outdir: string } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gde-app-'));
  outdirs.push(outdir);
  return { app: new App({ ...props, outdir }), outdir };
}
