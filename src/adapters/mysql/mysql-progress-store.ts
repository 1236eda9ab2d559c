import {type Checkpoint, decodeKey, documentKey, type DocumentProgress, encodeKey, PROGRESS_TABLE, type ProgressStore, type SavedProgress} from '../../progress/progress-store.js'
import type {SqlDatabase, SqlSession} from '../sql-port.js'
import {quoteIdentifier, stringLiteral} from './sql-text.js'

const TABLE = quoteIdentifier(PROGRESS_TABLE)
const FINGERPRINT_STAGE = '*fingerprint'

function text(value: unknown): string | null {
  if (value === null || value === undefined) return null
  return Buffer.isBuffer(value) ? value.toString('utf8') : String(value)
}

/**
 * The progress table in the destination database. A batch's checkpoint is written by
 * `checkpointStatement` inside the batch's own transaction, so the rows and the record of them
 * commit together or not at all.
 */
export class MysqlProgressStore implements ProgressStore {
  constructor(private readonly database: SqlDatabase) {}

  async load(): Promise<SavedProgress> {
    await this.database.execute(`CREATE TABLE IF NOT EXISTS ${TABLE} (
      stage varchar(191) NOT NULL,
      document varchar(191) NOT NULL DEFAULT '',
      done tinyint NOT NULL DEFAULT 0,
      last_key longtext NULL,
      rows_done bigint unsigned NOT NULL DEFAULT 0,
      value varchar(191) NULL,
      updated_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
      PRIMARY KEY (stage, document)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='m2-migrate: where the migration stands; dropped by nothing, emptied by --reset'`)
    // A locking read: the last COMMIT of a run killed a moment ago may still be executing on the
    // server (it was sent before the process died). A plain read would return the checkpoint before
    // it, and the rerun would copy that batch again; this read waits for the commit or rollback.
    const rows = await this.database.query(`SELECT stage, document, done, last_key, rows_done, value FROM ${TABLE} LOCK IN SHARE MODE`)
    let fingerprint: string | null = null
    const stagesDone = new Set<string>()
    const documents = new Map<string, DocumentProgress>()
    for (const [stage, document, done, lastKey, rowsDone, value] of rows) {
      const stageName = text(stage) ?? ''
      const documentName = text(document) ?? ''
      if (stageName === FINGERPRINT_STAGE) fingerprint = text(value)
      else if (documentName === '') {
        if (Number(done) === 1) stagesDone.add(stageName)
      } else {
        documents.set(documentKey(stageName, documentName), {done: Number(done) === 1, lastKey: decodeKey(text(lastKey)), rows: Number(text(rowsDone))})
      }
    }
    return {fingerprint, stagesDone, documents}
  }

  async reset(): Promise<void> {
    await this.database.execute(`DROP TABLE IF EXISTS ${TABLE}`)
  }

  async saveFingerprint(fingerprint: string): Promise<void> {
    await this.upsert(FINGERPRINT_STAGE, '', {value: stringLiteral(fingerprint)})
  }

  async markStageDone(stage: string): Promise<void> {
    await this.upsert(stage, '', {done: '1'})
  }

  async startDocument(stage: string, document: string): Promise<void> {
    await this.upsert(stage, document, {done: '0', last_key: 'NULL', rows_done: '0'})
  }

  async finishDocument(stage: string, document: string): Promise<void> {
    await this.upsert(stage, document, {done: '1'})
  }

  /** Finishes a document inside a transaction of its own (after a server-side copy). */
  async finishDocumentIn(session: SqlSession, stage: string, document: string, rows: number): Promise<void> {
    await session.execute(this.upsertSql(stage, document, {done: '1', rows_done: String(rows)}))
  }

  /** The statement that records a committed batch; run it inside the batch's transaction. */
  checkpointStatement(checkpoint: Checkpoint): string {
    const key = encodeKey(checkpoint.lastKey)
    return `UPDATE ${TABLE} SET last_key = ${key === null ? 'NULL' : stringLiteral(key)}, rows_done = rows_done + ${checkpoint.rows} WHERE stage = ${stringLiteral(checkpoint.stage)} AND document = ${stringLiteral(checkpoint.document)}`
  }

  /** INSERT … ON DUPLICATE KEY UPDATE of one row; values are SQL literals. */
  private upsertSql(stage: string, document: string, values: Record<string, string>): string {
    const columns = Object.keys(values)
    return `INSERT INTO ${TABLE} (stage, document, ${columns.join(', ')}) VALUES (${stringLiteral(stage)}, ${stringLiteral(document)}, ${Object.values(values).join(', ')}) ON DUPLICATE KEY UPDATE ${columns.map((column) => `${column} = VALUES(${column})`).join(', ')}`
  }

  private async upsert(stage: string, document: string, values: Record<string, string>): Promise<void> {
    await this.database.execute(this.upsertSql(stage, document, values))
  }
}
