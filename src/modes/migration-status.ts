import {MysqlDatabase} from '../adapters/mysql/mysql-database.js'
import {MysqlProgressStore} from '../adapters/mysql/mysql-progress-store.js'
import {readConfig} from '../config/config-reader.js'
import {describeDatabase, describeResource} from '../config/migration-config.js'
import {stringLiteral} from '../adapters/mysql/sql-text.js'
import {PROGRESS_TABLE} from '../progress/progress-store.js'
import type {Value} from '../pipeline/row.js'
import {configFingerprint} from './run-context-factory.js'

function keyText(key: readonly Value[] | null): string {
  if (!key) return '(none)'
  return `(${key.map((value) => (Buffer.isBuffer(value) ? `0x${value.toString('hex')}` : String(value))).join(', ')})`
}

/** The saved progress of a migration, as lines for migrate:status. Reads the destination only. */
export async function describeStatus(configFile: string): Promise<string[]> {
  const config = await readConfig(configFile)
  const destination = config.destination
  if (destination.kind !== 'database') {
    // A file destination keeps no progress: its output is renamed into place only when complete.
    return [`Progress of ${config.file}: the destination is ${describeResource(destination)}, which keeps no progress`, 'Nothing is saved between runs: migrate:data writes the whole output again each time.']
  }
  const database = await MysqlDatabase.open(destination, 'destination', {connectionLimit: 1})
  try {
    const lines = [`Progress of ${config.file}, kept in ${describeDatabase(destination.database)} table ${PROGRESS_TABLE}`]
    // A status only reads: the store's load() would create the table in a destination never migrated to.
    const [[tables]] = await database.query(`SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ${stringLiteral(PROGRESS_TABLE)}`)
    const saved = Number(tables) > 0 ? await new MysqlProgressStore(database).load() : undefined
    if (saved === undefined || saved.fingerprint === null) {
      lines.push('Nothing saved yet: migrate:data starts from the beginning.')
      return lines
    }
    lines.push(saved.fingerprint === configFingerprint(config)
      ? 'config.xml and maps: unchanged since the progress was saved'
      : 'config.xml or a map changed since the progress was saved: a rerun refuses to resume; use --reset to start over')
    const stages = [...saved.stagesDone].sort()
    lines.push(`Stages done: ${stages.length === 0 ? 'none' : stages.map((stage) => stage.replaceAll('|', ' / ')).join(', ')}`)
    const byStage = new Map<string, {done: string[]; inProgress: string[]}>()
    for (const [key, progress] of saved.documents) {
      const [stage, document] = key.split('\0')
      const entry = byStage.get(stage) ?? {done: [], inProgress: []}
      if (progress.done) entry.done.push(document)
      else entry.inProgress.push(`${document}: last key ${keyText(progress.lastKey)}, ${progress.rows} rows done`)
      byStage.set(stage, entry)
    }
    for (const [stage, entry] of [...byStage].sort(([a], [b]) => a.localeCompare(b))) {
      lines.push(`${stage.replaceAll('|', ' / ')}: ${entry.done.length} documents done`)
      for (const line of entry.inProgress.sort()) lines.push(`  in progress: ${line}`)
    }
    return lines
  } finally {
    await database.close()
  }
}
