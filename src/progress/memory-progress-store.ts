import type {ProgressStore, SavedProgress} from './progress-store.js'

/**
 * The progress of a run whose destination is a file (an SQL file, a dump folder): there is no
 * database to hold it, and none is needed, because the output is renamed into place only when
 * the run completes. Nothing is durable: every run starts from the beginning.
 */
export class MemoryProgressStore implements ProgressStore {
  async load(): Promise<SavedProgress> {
    return {fingerprint: null, stagesDone: new Set(), documents: new Map()}
  }

  async reset(): Promise<void> {}
  async saveFingerprint(): Promise<void> {}
  async markStageDone(): Promise<void> {}
  async startDocument(): Promise<void> {}
  async finishDocument(): Promise<void> {}
}
