#!/usr/bin/env node
// The `gde` launcher (package.json "bin"): runs the TypeScript CLI through the project's own tsx,
// so the CLI needs no build step and runs the very source the tests exercise.

require('tsx/cjs');
require('./main.ts').main();
