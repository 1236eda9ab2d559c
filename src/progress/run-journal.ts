import {MigrationError} from '../errors.js'
import type {Value} from '../pipeline/row.js'
import {documentKey, type DocumentProgress, type ProgressStore, type SavedProgress, stageKey} from './progress-store.js'

/**
 * A run's view of its saved progress: what earlier runs finished, and the calls that record
 * what this run finishes. Opened once per run, after --reset has been applied.
 */
export class RunJournal {
  private constructor(private readonly store: ProgressStore, private readonly saved: SavedProgress, readonly mode: string) {}

  /**
   * Loads the progress of the destination. With `reset`, forgets it first. Without, refuses to
   * resume when config.xml or a map changed since the progress was saved.
   */
  static async open(store: ProgressStore, options: {mode: string; reset: boolean; fingerprint: string}): Promise<RunJournal> {
    if (options.reset) await store.reset()
    const saved = await store.load()
    if (saved.fingerprint !== null && saved.fingerprint !== options.fingerprint) {
      throw new MigrationError('PROGRESS_MISMATCH', 'config.xml or a map file changed since the saved progress was written; resuming could mix two migrations', {}, 'Run the same command with --reset to start over (safe: every document is emptied before it is copied again), or restore the files as they were.')
    }
    if (saved.fingerprint === null) await store.saveFingerprint(options.fingerprint)
    return new RunJournal(store, saved, options.mode)
  }

  key(step: string, stage: string): string {
    return stageKey(this.mode, step, stage)
  }

  isStageDone(step: string, stage: string): boolean {
    return this.saved.stagesDone.has(this.key(step, stage))
  }

  async markStageDone(step: string, stage: string): Promise<void> {
    await this.store.markStageDone(this.key(step, stage))
  }

  /** Saved progress of one document of a data stage. */
  document(step: string, stage: string, document: string): DocumentProgress | undefined {
    return this.saved.documents.get(documentKey(this.key(step, stage), document))
  }

  /** Where to continue a document: after its last committed key, or from the start (null). */
  resumeKey(step: string, stage: string, document: string): readonly Value[] | null {
    const progress = this.document(step, stage, document)
    return progress && !progress.done ? progress.lastKey : null
  }

  startDocument(step: string, stage: string, document: string): Promise<void> {
    return this.store.startDocument(this.key(step, stage), document)
  }

  finishDocument(step: string, stage: string, document: string): Promise<void> {
    return this.store.finishDocument(this.key(step, stage), document)
  }

  /** True when an earlier run left anything behind. */
  get hasSavedProgress(): boolean {
    return this.saved.stagesDone.size > 0 || this.saved.documents.size > 0
  }

  /** Documents of a stage already done, and those in progress with their rows. */
  stageSummary(step: string, stage: string): {done: number; inProgress: {document: string; rows: number; lastKey: readonly Value[] | null}[]} {
    const prefix = `${this.key(step, stage)}\0`
    let done = 0
    const inProgress: {document: string; rows: number; lastKey: readonly Value[] | null}[] = []
    for (const [key, progress] of this.saved.documents) {
      if (!key.startsWith(prefix)) continue
      if (progress.done) done++
      else if (progress.lastKey !== null) inProgress.push({document: key.slice(prefix.length), rows: progress.rows, lastKey: progress.lastKey})
    }
    return {done, inProgress}
  }
}
