import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { buildApp } from '../../../lib/app';
import { PROJECT_ROOT } from '../../../lib/step-lambda';

/** A CloudFormation template as synthesized. */
export type CfnTemplate = { Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown> }> } & Record<
  string,
  unknown
>;

/** Both stacks' templates. */
export interface SynthesizedTemplates {
  enrollment: CfnTemplate;
  memberRole: CfnTemplate;
}

export interface SynthOptions {
  /** Context on top of cdk.json's (settings live under `guarddutyEnrollment`). @default {} */
  readonly context?: Record<string, unknown>;
  /** Bundle the Lambda code with esbuild. @default false */
  readonly bundling?: boolean;
  /** The administrator account and region to synthesize for. @default 111111111111 / us-east-1 */
  readonly env?: { account: string; region: string };
}

/**
 * What a synthesis reads besides its options: the CDK code, the handlers (their entries and the
 * asset hashes), the shared contract, cdk.json, the pinned dependencies, and this module.
 */
const SYNTH_INPUTS = ['lib', 'lambda', 'contract', 'cdk.json', 'package.json', 'package-lock.json', path.relative(PROJECT_ROOT, __filename)];

/**
 * Where synthesized templates are kept, one file per inputs-and-options key, as other build tools
 * keep theirs (node_modules/.cache). `GDE_SYNTH_CACHE=off` synthesizes every time.
 */
export const SYNTH_CACHE_DIR = path.join(PROJECT_ROOT, 'node_modules', '.cache', 'gde-synth');
/** Cache files kept; older ones (from earlier inputs) are removed when a new one is written. */
const CACHE_ENTRIES_KEPT = 40;

/** The context in cdk.json, so in-process synthesis uses the deployment's settings. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
  return cdkJson.context ?? {};
}

/**
 * The app's two templates for these options, as `cdk synth` would produce them. Synthesis takes
 * seconds, so its result is kept under {@link SYNTH_CACHE_DIR}, keyed by a hash of every input
 * file and of the options: the same inputs give the same templates, any changed input gives a new
 * key. Each call returns its own copy, free to modify.
 */
export function synthesizeTemplates(options: SynthOptions = {}): SynthesizedTemplates {
  const context = { ...cdkJsonContext(), ...(options.bundling ? {} : { 'aws:cdk:bundling-stacks': [] }), ...options.context };
  const env = options.env ?? { account: '111111111111', region: 'us-east-1' };
  if (process.env.GDE_SYNTH_CACHE === 'off') return synthesizeApp(context, env);
  const key = createHash('sha256')
    .update(JSON.stringify({ inputs: inputsHash(), root: PROJECT_ROOT, context, env }))
    .digest('hex')
    .slice(0, 32);
  const file = path.join(SYNTH_CACHE_DIR, `${key}.json`);
  const cached = readCacheEntry(file);
  if (cached) return cached;
  const templates = synthesizeApp(context, env);
  writeCacheEntry(file, JSON.stringify(templates));
  return templates;
}

/** Synthesizes the app in process into a temporary folder that is removed afterwards. */
function synthesizeApp(context: Record<string, unknown>, env: { account: string; region: string }): SynthesizedTemplates {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gde-synth-'));
  try {
    const app = new App({ outdir, context });
    const { enrollment, memberRole } = buildApp(app, env);
    const assembly = app.synth();
    return {
      enrollment: assembly.getStackByName(enrollment.stackName).template as CfnTemplate,
      memberRole: assembly.getStackByName(memberRole.stackName).template as CfnTemplate,
    };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

let memoizedInputsHash: string | undefined;

/** One hash over the path and content of every input file (read once per process: a few hundred small files). */
function inputsHash(): string {
  if (memoizedInputsHash) return memoizedInputsHash;
  const hash = createHash('sha256');
  const visit = (relative: string): void => {
    const absolute = path.join(PROJECT_ROOT, relative);
    if (!fs.existsSync(absolute)) return;
    if (fs.statSync(absolute).isDirectory()) {
      for (const name of fs.readdirSync(absolute).sort()) visit(path.join(relative, name));
      return;
    }
    hash.update(`${relative}\0`).update(fs.readFileSync(absolute)).update('\0');
  };
  for (const input of SYNTH_INPUTS) visit(input);
  memoizedInputsHash = hash.digest('hex');
  return memoizedInputsHash;
}

function readCacheEntry(file: string): SynthesizedTemplates | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as SynthesizedTemplates;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Writes a cache file whole or not at all (a temporary file renamed into place), so a reader in
 * another process never sees half of one, and keeps only the newest entries. A folder that cannot
 * be written (a read-only install) only means the next run synthesizes again.
 */
function writeCacheEntry(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(SYNTH_CACHE_DIR, { recursive: true });
    fs.writeFileSync(temporary, text);
    fs.renameSync(temporary, file);
  } catch (error) {
    if (['EACCES', 'EPERM', 'EROFS'].includes((error as NodeJS.ErrnoException).code ?? '')) return;
    throw error;
  }
  const entries = fs
    .readdirSync(SYNTH_CACHE_DIR)
    .filter((name) => name.endsWith('.json'))
    .map((name) => ({ name, mtime: fs.statSync(path.join(SYNTH_CACHE_DIR, name), { throwIfNoEntry: false })?.mtimeMs ?? 0 }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const stale of entries.slice(CACHE_ENTRIES_KEPT)) fs.rmSync(path.join(SYNTH_CACHE_DIR, stale.name), { force: true });
}
