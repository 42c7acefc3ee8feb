/**
 * Waits until `condition` holds, checking it every `everyMs`. There is no deadline: what ends the
 * wait is the awaited event (a call received, a line printed), so a busy machine only makes it
 * later; Jest's testTimeout is the ceiling for one that never comes.
 */
export async function until(condition: () => boolean | Promise<boolean>, everyMs = 10): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setTimeout(resolve, everyMs));
}
