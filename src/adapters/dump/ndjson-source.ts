/**
 * A dump folder as the source side: reads each document's JSON file as a stream, in file order,
 * checking every row against the schema file. Memory holds one input chunk and the page being
 * filled, whatever the file's size.
 */
import {createReadStream} from 'node:fs'
import type {Readable} from 'node:stream'
import {pipeline} from 'node:stream'
import {createGunzip} from 'node:zlib'
import {MigrationError} from '../../errors.js'
import type {Row, Value} from '../../pipeline/row.js'
import {pagingKey, type TableSchema} from '../../schema/table-schema.js'
import type {DocumentReader, ReadOptions, RowBatch} from '../document-port.js'
import type {DataFile, DumpSchema} from './dump-schema.js'
import {type RowChunk, readJsonRows} from './json-row-reader.js'
import {SchemaRowDecoder} from './row-decoders.js'

/** A data file as text, decompressed when it is gzipped. Destroy it to stop reading. */
export function openDataFile(file: DataFile): Readable {
  const raw = createReadStream(file.path, {highWaterMark: 256 * 1024})
  const text = file.gzip ? pipeline(raw, createGunzip(), () => undefined) : raw
  text.setEncoding('utf8')
  return text
}

/** Whether two key values are the same value (a key read back from the progress table, or from a row). */
function sameValue(a: Value, b: Value): boolean {
  if (Buffer.isBuffer(a) || Buffer.isBuffer(b)) return Buffer.isBuffer(a) && Buffer.isBuffer(b) && a.equals(b)
  if (a === null || b === null) return a === b
  return String(a) === String(b)
}

export class DumpSource implements DocumentReader {
  /** Rows of each document counted by a whole read or by count(). */
  private readonly counts = new Map<string, number>()

  constructor(private readonly dump: DumpSchema) {}

  private dataFile(table: TableSchema): DataFile {
    const file = this.dump.tables.get(table.name)?.dataFile
    if (!file) throw new MigrationError('DOCUMENT_MISSING', `${this.dump.file}: the dump has no table ${table.physicalName}`, {document: table.name})
    return file
  }

  /** Every row of a document, chunk by chunk, checked against the schema. */
  async *rows(table: TableSchema): AsyncGenerator<RowChunk> {
    const file = this.dataFile(table)
    const input = openDataFile(file)
    try {
      yield* readJsonRows(input, file.format, new SchemaRowDecoder(table), {file: file.path, table: table.physicalName})
    } catch (error) {
      if (error instanceof MigrationError) throw error
      throw new MigrationError('DUMP_INVALID', `${file.path}: table ${table.physicalName}: cannot read: ${(error as Error).message}`, {file: file.path, document: table.name}, 'Check that the file is readable (and, for .gz, not cut off).', error)
    } finally {
      input.destroy()
    }
  }

  /**
   * Pages in file order. The paging key of a page is its last row's key, so a run into a
   * database destination can resume: `afterKey` skips rows up to the row that has that key.
   */
  async *read(table: TableSchema, options: ReadOptions): AsyncGenerator<RowBatch> {
    const key = pagingKey(table)
    const positions = key?.map((name) => table.columns.findIndex((column) => column.name === name)) ?? []
    const keyOf = (row: Row): Value[] | null => (key ? positions.map((at) => row[at]) : null)
    const after = options.afterKey
    let skipping = after !== undefined
    let page: Row[] = []
    let total = 0
    for await (const chunk of this.rows(table)) {
      for (const row of chunk.rows) {
        total++
        if (skipping) {
          if (positions.every((at, index) => sameValue(row[at], after![index]))) skipping = false
          continue
        }
        page.push(row)
        if (page.length >= options.pageSize) {
          yield {rows: page, lastKey: keyOf(page[page.length - 1])}
          page = []
        }
      }
    }
    if (skipping) {
      throw new MigrationError('DUMP_INVALID', `${this.dataFile(table).path}: table ${table.physicalName}: cannot resume after key (${after!.map(String).join(', ')}): no row has it; the file changed since the progress was saved`, {document: table.name}, 'Run the same command with --reset to start over.')
    }
    if (page.length > 0) yield {rows: page, lastKey: keyOf(page[page.length - 1])}
    this.counts.set(table.name, total)
  }

  /**
   * Rows in a document's file. An NDJSON file is counted by its non-blank lines (fast; a read
   * checks each row); a JSON array is read whole. Remembered once known.
   */
  async count(table: TableSchema): Promise<number> {
    const known = this.counts.get(table.name)
    if (known !== undefined) return known
    const file = this.dataFile(table)
    let total = 0
    if (file.format === 'ndjson') {
      total = await countLines(file)
    } else {
      for await (const chunk of this.rows(table)) total += chunk.rows.length
    }
    this.counts.set(table.name, total)
    return total
  }
}

function hasContent(text: string, start: number, end: number): boolean {
  for (let at = start; at < end; at++) {
    const code = text.charCodeAt(at)
    if (code !== 32 && code !== 9 && code !== 13) return true
  }
  return false
}

/** Lines holding anything but whitespace. */
async function countLines(file: DataFile): Promise<number> {
  const input = openDataFile(file)
  let lines = 0
  let blank = true
  try {
    for await (const chunk of input as AsyncIterable<string>) {
      let start = 0
      for (;;) {
        const newline = chunk.indexOf('\n', start)
        const end = newline < 0 ? chunk.length : newline
        if (blank && hasContent(chunk, start, end)) blank = false
        if (newline < 0) break
        if (!blank) lines++
        blank = true
        start = newline + 1
      }
    }
  } finally {
    input.destroy()
  }
  return blank ? lines : lines + 1
}
