/**
 * Each Lambda's deployment bundle: built with the esbuild options the CDK construct uses
 * (lib/step-lambda.ts through NodejsFunction: bundle, minify, target node24, platform node, CJS,
 * no externals so the AWS SDK is inside, no source map), sized, and loaded cold: `require` of the
 * bundle timed in a fresh `node` process each run, the median reported. Node's own start-up is not
 * in the figure; Lambda's init phase adds its runtime start to it.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { PROJECT_ROOT, STEP_BUNDLE } from '../../lib/step-lambda';

export interface BundleFigure {
  readonly name: string;
  readonly bytes: number;
  /** Median over the runs of the time `require` of the bundle took in a new process. */
  readonly coldLoadMs: number;
}

const run = promisify(execFile);
const HANDLER_DIR = path.join(PROJECT_ROOT, 'lambda', 'handlers');

/** Times one `require` of `file` in a new node process. */
const LOAD_SCRIPT = `const t=process.hrtime.bigint();require(process.argv[1]);process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6));`;

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The handler modules the CDK app deploys, one Lambda each. */
export function handlerNames(): string[] {
  return fs
    .readdirSync(HANDLER_DIR)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.replace(/\.ts$/, ''))
    .sort();
}

/** Bundles, sizes and cold-loads every handler; `runs` loads per bundle (at least 1). */
export async function measureBundles(runs: number, handlers: readonly string[] = handlerNames()): Promise<BundleFigure[]> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gde-bench-bundles-'));
  try {
    const figures: BundleFigure[] = [];
    for (const name of handlers) {
      const outfile = path.join(outdir, name, 'index.js');
      await build({
        entryPoints: [path.join(HANDLER_DIR, `${name}.ts`)],
        bundle: true,
        minify: STEP_BUNDLE.minify,
        target: STEP_BUNDLE.target,
        mainFields: [...STEP_BUNDLE.mainFields],
        external: [...STEP_BUNDLE.external],
        platform: 'node',
        format: 'cjs',
        outfile,
        logLevel: 'silent',
      });
      const times: number[] = [];
      for (let i = 0; i < Math.max(1, runs); i++) {
        // The environment Lambda gives a function, minus anything that would make the load differ.
        const { stdout } = await run(process.execPath, ['-e', LOAD_SCRIPT, outfile], {
          env: { PATH: process.env.PATH, AWS_REGION: 'us-east-1', POWERTOOLS_LOG_LEVEL: 'SILENT', NODE_NO_WARNINGS: '1' },
        });
        times.push(Number(stdout));
      }
      figures.push({ name, bytes: fs.statSync(outfile).size, coldLoadMs: median(times) });
    }
    return figures;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
