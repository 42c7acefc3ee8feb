// One Lambda function's sandbox in local mode: a worker thread with the function's own environment
// (its variables, region and its execution role's session credentials) and its own module
// instances, so its SDK clients sign with that role and nothing is shared with another function.
// Plain JavaScript: the worker registers tsx itself, then loads the TypeScript handler.
const { parentPort, workerData } = require('node:worker_threads');
require('tsx/cjs/api').register();

let handler;

/** Forgets the project's own modules (not node_modules): the next invocation loads them afresh, as in a new container. */
function resetProjectModules() {
  handler = undefined;
  for (const file of Object.keys(require.cache))
    if (!file.includes(`${require('node:path').sep}node_modules${require('node:path').sep}`)) delete require.cache[file];
}

parentPort.on('message', async ({ id, input, context, reset }) => {
  if (reset) {
    resetProjectModules();
    parentPort.postMessage({ id, output: 'null' });
    return;
  }
  try {
    handler ??= require(workerData.entry).handler;
    const output = await handler(input, context);
    // Lambda returns the handler's result JSON-serialized.
    parentPort.postMessage({ id, output: output === undefined ? 'null' : JSON.stringify(output) });
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    parentPort.postMessage({ id, error: { name: e.name, message: e.message, stack: e.stack } });
  }
});
