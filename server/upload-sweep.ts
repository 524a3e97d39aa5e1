/**
 * The background sweep of uploads no message claimed: a visitor (or agent) who uploaded a file and never sent it
 * leaves it behind, and nothing else would remove it unless the conversation gets another upload or is deleted.
 * Every `everyMs` on the server's clock (clock.ts), each process deletes left-behind files (the age rule is
 * data/attachments.ts LEFT_BEHIND: a day unclaimed, an hour cut off mid-upload) in batches of `batch`, at most
 * `maxBatches` per run, so one run is short and a backlog drains over several. Several processes share the work:
 * a row is taken by one delete only (SKIP LOCKED), and deleting what is already gone is a no-op.
 */
import type { Clock } from './clock.js';
import type { Attachments } from './data/attachments.js';
import { logFailure } from './failure-log.js';

export interface UploadSweepOptions {
  /** How often a run starts. Default 10 minutes. */
  everyMs: number;
  /** Files per delete. Default 200. */
  batch: number;
  /** Deletes per run, at most. Default 10 (2,000 files). */
  maxBatches: number;
}

export const DEFAULT_UPLOAD_SWEEP: UploadSweepOptions = { everyMs: 10 * 60_000, batch: 200, maxBatches: 10 };

export class UploadSweep {
  private running: Promise<number> | null = null;
  private stopTimer: (() => void) | null = null;

  constructor(
    private readonly attachments: Attachments,
    private readonly options: UploadSweepOptions = DEFAULT_UPLOAD_SWEEP,
  ) {}

  /** Runs every `everyMs` of `clock` until stop(). */
  start(clock: Clock): void {
    this.stopTimer = clock.every(this.options.everyMs, () => void this.run().catch((err) => logFailure('upload sweep', err)));
  }

  /**
   * One run: batches until one comes back short or `maxBatches` were done. Returns how many files it deleted. A
   * run asked for while one is under way joins it (a slow database never piles runs up).
   */
  run(): Promise<number> {
    this.running ??= this.sweep().finally(() => (this.running = null));
    return this.running;
  }

  /** Stops the timer and waits for a run under way (so the store can close after it). */
  async stop(): Promise<void> {
    this.stopTimer?.();
    this.stopTimer = null;
    await this.running?.catch(() => {});
  }

  private async sweep(): Promise<number> {
    let deleted = 0;
    for (let i = 0; i < this.options.maxBatches; i++) {
      const n = await this.attachments.sweepLeftBehind(this.options.batch);
      deleted += n;
      if (n < this.options.batch) break;
    }
    return deleted;
  }
}
