/**
 * A dump folder as the destination (and what `export` writes): one NDJSON file per table and a
 * schema.json listing each table written with the columns its rows hold. The folder is written
 * under a temporary name and swapped into place only when complete.
 */
import type {WriteStream} from 'node:fs'
import type {Row} from '../../pipeline/row.js'
import type {TableSchema} from '../../schema/table-schema.js'
import type {BatchSink, FileOutputWriter, SinkOptions} from '../document-port.js'
import {AtomicFolder, endStream, openWriteStream, writeText} from './atomic-output.js'
import {formatDumpSchema} from './dump-schema.js'
import {encodeRow} from './dump-values.js'
import {groupSideRows} from '../../pipeline/side-rows.js'
import {SerialQueue} from './serial-queue.js'

export const SCHEMA_FILE = 'schema.json'

export interface DumpWriterOptions {
  /** CREATE TABLE statements by table name (prefix included), recorded in schema.json. */
  readonly createStatements?: ReadonlyMap<string, string>
}

interface WrittenTable {
  readonly table: TableSchema
  /** Columns the rows hold (the union, when handlers added rows with other columns). */
  readonly columns: Set<string>
  rows: number
}

export function dataFileName(table: TableSchema): string {
  return `${table.physicalName}.ndjson`
}

export class DumpWriter implements FileOutputWriter {
  private readonly queue = new SerialQueue()
  private readonly tables = new Map<string, WrittenTable>()
  private open: {name: string; stream: WriteStream} | undefined

  private constructor(private readonly output: AtomicFolder, private readonly options: DumpWriterOptions) {}

  static async open(folder: string, options: DumpWriterOptions = {}): Promise<DumpWriter> {
    return new DumpWriter(await AtomicFolder.create(folder), options)
  }

  get path(): string {
    return this.output.path
  }

  async count(table: TableSchema): Promise<number> {
    await this.queue.idle()
    return this.tables.get(table.physicalName)?.rows ?? 0
  }

  /** Starts the table's file afresh (an empty file is a table without rows). */
  clear(table: TableSchema): Promise<void> {
    return this.queue.run(async () => {
      this.tables.set(table.physicalName, {table, columns: new Set(), rows: 0})
      await this.streamFor(table, 'w')
    })
  }

  sink(table: TableSchema, columns: readonly string[], options: SinkOptions = {}): BatchSink {
    const names = columns.map((name) => JSON.stringify(name))
    return {
      write: (rows, _progress, side) => this.queue.run(async () => {
        if (rows.length > 0) await this.append(table, columns, names, rows)
        for (const group of side ? groupSideRows(table.name, side, options.sideTables) : []) {
          await this.append(group.table, group.columns, group.columns.map((name) => JSON.stringify(name)), group.rows)
        }
      }),
    }
  }

  private async append(table: TableSchema, columns: readonly string[], quoted: readonly string[], rows: readonly Row[]): Promise<void> {
    let written = this.tables.get(table.physicalName)
    if (!written) {
      written = {table, columns: new Set(), rows: 0}
      this.tables.set(table.physicalName, written)
    }
    for (const column of columns) written.columns.add(column)
    let text = ''
    for (const row of rows) text += `${encodeRow(quoted, row)}\n`
    const stream = await this.streamFor(table, 'a')
    await writeText(stream, text)
    written.rows += rows.length
  }

  /** One file is open at a time: a table's file is reopened to append when the writes turn back to it. */
  private async streamFor(table: TableSchema, flags: 'w' | 'a'): Promise<WriteStream> {
    if (this.open?.name === table.physicalName && flags === 'a') return this.open.stream
    if (this.open) {
      const {stream} = this.open
      this.open = undefined
      await endStream(stream)
    }
    const stream = await openWriteStream(this.output.file(dataFileName(table)), flags)
    this.open = {name: table.physicalName, stream}
    return stream
  }

  /** Closes the last file, writes schema.json and swaps the folder into place. */
  async complete(): Promise<void> {
    await this.queue.run(async () => {
      if (this.open) await endStream(this.open.stream)
      this.open = undefined
      const entries = [...this.tables.values()]
        .sort((a, b) => (a.table.physicalName < b.table.physicalName ? -1 : 1))
        .map((written) => ({
          table: written.table,
          // A table cleared and never written lists every column: its (empty) file fits any of them.
          columns: written.columns.size > 0 ? written.table.columns.map((column) => column.name).filter((name) => written.columns.has(name)) : undefined,
          file: dataFileName(written.table),
          rows: written.rows,
          create: this.options.createStatements?.get(written.table.physicalName),
        }))
      const stream = await openWriteStream(this.output.file(SCHEMA_FILE))
      await writeText(stream, formatDumpSchema(entries))
      await endStream(stream)
    })
    await this.output.commit()
  }

  async discard(): Promise<void> {
    await this.queue.idle().catch(() => undefined)
    this.open?.stream.destroy()
    this.open = undefined
    await this.output.discard()
  }
}
