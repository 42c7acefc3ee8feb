/**
 * Jest's globalSetup: synthesizes the app with the default settings once, before any test file
 * runs, so the files that read its templates (directly or by starting local mode) find them in the
 * synth cache (local/runtime/template/synth.ts) instead of each synthesizing again, and parallel workers never
 * synthesize the same thing at once. Tests with other settings synthesize their own variant, cached
 * the same way.
 */
import { synthesizeTemplates } from '../../local/runtime/template/synth';

export default function synthesizeOnce(): void {
  synthesizeTemplates();
}
