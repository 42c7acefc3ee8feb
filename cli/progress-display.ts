/**
 * Shows an enrollment's progress while `--wait` polls: on a terminal, a block of lines redrawn in
 * place with a spinner and the elapsed time; elsewhere (CI logs, pipes), plain lines written once
 * each, so a log reads top to bottom.
 */
import type { OutputStream } from './io';
import type { ProgressSnapshot, RegionProgress } from './progress-model';

export interface ProgressDisplay {
  /** Shows the latest snapshot. */
  update(snapshot: ProgressSnapshot, elapsedMs: number): void;
  /** Shows the final snapshot and stops any animation. */
  finish(snapshot: ProgressSnapshot, elapsedMs: number): void;
  /** Stops any animation without drawing (the wait ended in an error). */
  stop(): void;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
export const MARK: Record<RegionProgress['state'], string> = { pending: '·', ENABLED: '✔', OFFBOARDED: '✔', FAILED: '✖' };
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

/** One region as a line, shared by both displays. */
export function regionLine(line: RegionProgress, mark: string): string {
  return `  ${mark} ${line.region.padEnd(15)} ${line.state.padEnd(8)}${line.detail ? ` ${line.detail}` : ''}`.trimEnd();
}

/** The whole snapshot as lines: a header, then one line per region (or the note). */
export function snapshotLines(snapshot: ProgressSnapshot, elapsedMs: number, pendingMark = MARK.pending): string[] {
  const account = snapshot.accountId ? ` · account ${snapshot.accountId}` : '';
  const lines = [`Enrollment ${snapshot.enrollmentId}${account} · ${snapshot.status} · ${seconds(elapsedMs)}`];
  for (const region of snapshot.regions) lines.push(regionLine(region, region.state === 'pending' ? pendingMark : MARK[region.state]));
  if (snapshot.regions.length === 0 && snapshot.note) lines.push(`  ${snapshot.note}`);
  if (snapshot.error) lines.push(`  ✖ ${snapshot.error.code}: ${snapshot.error.message}`);
  return lines;
}

/** Redraws the block in place (ANSI cursor-up and erase-below), animating a spinner between polls. */
export class TerminalProgress implements ProgressDisplay {
  private drawn = 0;
  private frame = 0;
  private last?: { snapshot: ProgressSnapshot; elapsedMs: number; at: number };
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly stream: OutputStream,
    private readonly now: () => number,
  ) {}

  update(snapshot: ProgressSnapshot, elapsedMs: number): void {
    this.last = { snapshot, elapsedMs, at: this.now() };
    this.draw(snapshot, elapsedMs, true);
    // Between polls the spinner and the clock keep moving, so a slow region does not look stuck.
    this.timer ??= setInterval(() => {
      if (this.last) this.draw(this.last.snapshot, this.last.elapsedMs + this.now() - this.last.at, true);
    }, 200);
    this.timer.unref();
  }

  finish(snapshot: ProgressSnapshot, elapsedMs: number): void {
    this.stop();
    this.draw(snapshot, elapsedMs, false);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /**
   * Replaces the block drawn last. While it will be redrawn, lines are cut to the terminal's width:
   * a wrapped line would take two rows and the cursor-up count would be off. The final block is
   * written whole, since nothing is drawn over it.
   */
  private draw(snapshot: ProgressSnapshot, elapsedMs: number, redrawn: boolean): void {
    const width = this.stream.columns;
    const lines = snapshotLines(snapshot, elapsedMs, SPINNER[this.frame++ % SPINNER.length]).map((l) =>
      redrawn && width && l.length >= width ? `${l.slice(0, width - 2)}…` : l,
    );
    const erase = this.drawn > 0 ? `\x1b[${this.drawn}A\x1b[0J` : '';
    this.stream.write(`${erase}${lines.join('\n')}\n`);
    this.drawn = lines.length;
  }
}

/**
 * Writes what changed as plain lines: the start, each region's step as it changes, a heartbeat
 * every 30 s, then each region's outcome.
 */
export class PlainProgress implements ProgressDisplay {
  private started = false;
  private heartbeats = 0;
  private readonly steps = new Map<string, string>();

  constructor(private readonly stream: OutputStream) {}

  update(snapshot: ProgressSnapshot, elapsedMs: number): void {
    if (!this.started) {
      this.started = true;
      const waiting = snapshot.regions.length > 0 ? `pending: ${snapshot.regions.map((r) => r.region).join(', ')}` : (snapshot.note ?? '');
      this.stream.write(
        `Enrollment ${snapshot.enrollmentId}${snapshot.accountId ? ` for account ${snapshot.accountId}` : ''}: ${snapshot.status}; ${waiting}\n`,
      );
    }
    for (const region of snapshot.regions) {
      if (region.detail === '' || this.steps.get(region.region) === region.detail) continue;
      this.steps.set(region.region, region.detail);
      this.stream.write(`  ${region.region}: ${region.detail}\n`);
    }
    const due = Math.floor(elapsedMs / 30_000);
    if (due > this.heartbeats) {
      this.heartbeats = due;
      this.stream.write(`Enrollment ${snapshot.enrollmentId}: still ${snapshot.status} after ${seconds(elapsedMs)}\n`);
    }
  }

  finish(snapshot: ProgressSnapshot, elapsedMs: number): void {
    this.stream.write(`${snapshotLines(snapshot, elapsedMs).join('\n')}\n`);
  }

  stop(): void {
    // Nothing animates.
  }
}
