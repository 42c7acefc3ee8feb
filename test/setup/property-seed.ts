/**
 * Jest setup (setupFilesAfterEnv): every property run of a test file uses the file's seed
 * (FC_SEED, else a new one), and a failing run ends with the command that replays it.
 */
import * as path from 'node:path';
import fc from 'fast-check';
import { PROPERTY_SEED } from '../helpers/property-seed';

fc.configureGlobal({ seed: PROPERTY_SEED });
fc.installGlobalPlugin(() => ({
  onAllRunsComplete: (details) => {
    if (!details.failed) return;
    const testFile = path.relative(process.cwd(), expect.getState().testPath ?? '<this test file>');
    throw new Error(`${fc.defaultReportMessage(details)}\nReplay this run: FC_SEED=${details.seed} npx jest ${testFile}`);
  },
}));
