/**
 * `npm run bench`: the product's cost and speed figures, measured against local mode with a fixed
 * emulated latency per AWS call. Prints a table with how each figure was measured; `--json FILE`
 * also writes the figures as JSON. Not a test: it asserts nothing and fails only if a run fails.
 */
import * as fs from 'node:fs';
import { parseBenchOptions } from './options';
import { renderReport, toJson } from './report';
import { runBench } from './run-bench';
import { renderFleet, runFleetBench } from './run-fleet-bench';

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2));
  const started = Date.now();
  const results = await runBench(options, (line) => process.stderr.write(`${line}\n`));
  process.stdout.write(renderReport(results));
  const progress = (line: string) => process.stderr.write(`${line}\n`);
  const fleetCheck = (options.fleetMembers ?? 0) > 0 ? await runFleetBench(options.fleetMembers as number, options.bulkLatencyMs, progress) : undefined;
  if (fleetCheck) process.stdout.write(renderFleet(fleetCheck, options.bulkLatencyMs));
  const json = { ...toJson(results), ...(fleetCheck ? { fleetCheck } : {}) };
  if (options.jsonFile) {
    fs.writeFileSync(options.jsonFile, `${JSON.stringify(json, null, 2)}\n`);
    process.stdout.write(`\nFigures written to ${options.jsonFile}\n`);
  }
  process.stderr.write(`Benchmark took ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
