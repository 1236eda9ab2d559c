/**
 * Rows as the tab-separated text LOAD DATA LOCAL INFILE reads, and the statement that reads it.
 * Pure: no connection here. The server parses this format several times faster than the same
 * rows as INSERT … VALUES text, and building it costs us less (no quotes, fewer escapes).
 *
 * The format is LOAD DATA's default one, stated in full in the statement: fields end at a tab,
 * lines at a newline, backslash escapes, no enclosing quotes. A value is written as:
 *   NULL             → \N (so NULL and '' stay distinct: '' is an empty field)
 *   string           → its UTF-8 bytes, with \ tab newline NUL written as \\ \t \n \0
 *   Buffer           → its bytes unchanged, with the same four escaped (blobs with NUL bytes survive)
 *   number / bigint  → its decimal text; boolean → 1 or 0
 * The file's character set is utf8mb4 (the statement says so), whatever the session's names are.
 */
import type {Row, Value} from '../../pipeline/row.js'
import {quoteIdentifier} from './sql-text.js'

/** One LOAD DATA statement's worth of rows, as the chunks the driver sends (each well under a packet). */
export interface LoadDataPart {
  readonly rows: number
  readonly chunks: readonly Buffer[]
  /** The character set the statement reads the chunks in (see renderLoadData). */
  readonly charset: LoadCharset
}

/**
 * utf8mb4 always holds our text. utf8mb3 is the same bytes for every character outside the
 * astral planes (no surrogate pair in the JS string), and saves the server a conversion per
 * field when the columns are utf8mb3 too (Magento 2's tables): about a tenth of its LOAD time.
 */
export type LoadCharset = 'utf8mb4' | 'utf8mb3'

/** Size of the buffers rows are encoded into. */
const CHUNK_BYTES = 256 * 1024
/** No chunk is larger: the driver sends each as one packet, and a packet holds less than 16 MB. */
const MAX_CHUNK_BYTES = 4 * 1024 * 1024

const TEXT_SPECIAL = /[\\\t\n\0]/
/** A byte to escape, or half of a surrogate pair (a character utf8mb3 cannot hold): one scan finds both. */
const SPECIAL_OR_ASTRAL = /[\\\t\n\0\uD800-\uDFFF]/
const ASTRAL = /[\uD800-\uDFFF]/

type Utf8Writer = (this: Buffer, text: string, offset: number) => number
/** Buffer's own UTF-8 writer, without write()'s argument juggling (which costs more than the copy for short values). */
const nativeUtf8Write = (Buffer.prototype as unknown as {utf8Write?: Utf8Writer}).utf8Write

/** Writes text's UTF-8 bytes at offset (the caller made room); returns how many. */
function writeUtf8(buffer: Buffer, text: string, offset: number): number {
  return nativeUtf8Write ? nativeUtf8Write.call(buffer, text, offset) : buffer.write(text, offset, 'utf8')
}


function isSpecialByte(byte: number): boolean {
  return byte === 0x5c || byte === 0x09 || byte === 0x0a || byte === 0x00
}

const BYTE_ESCAPES: Readonly<Record<number, number>> = {0x5c: 0x5c, 0x09: 0x74, 0x0a: 0x6e, 0x00: 0x30}
const SPECIAL_BYTES = [0x5c, 0x09, 0x0a, 0x00] as const

/** A Buffer field's bytes, escaped (the same Buffer when nothing needs escaping). */
export function loadDataBytes(bytes: Buffer): Buffer {
  let specials = 0
  for (let i = 0; i < bytes.length; i++) if (isSpecialByte(bytes[i]!)) specials++
  if (specials === 0) return bytes
  const out = Buffer.allocUnsafe(bytes.length + specials)
  let at = 0
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!
    if (isSpecialByte(byte)) {
      out[at++] = 0x5c
      out[at++] = BYTE_ESCAPES[byte]!
    } else {
      out[at++] = byte
    }
  }
  return out
}

/** A number's, bigint's or boolean's text (strings, NULL and Buffers are written by the caller). */
function scalarField(value: number | bigint | boolean): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot write the number ${value}`)
    return String(value)
  }
  if (typeof value === 'bigint') return value.toString()
  if (typeof value === 'boolean') return value ? '1' : '0'
  throw new Error(`cannot write a value of type ${typeof value}`)
}

/**
 * How a column takes a number, where LOAD DATA's text differs from an INSERT's bare number:
 * - `year`: the number 0 is the year 0000, but the text '0' is 2000; it is written as 0000;
 * - `by-number`: BIT, ENUM and SET read a bare number as bits or an index, text as bytes or a
 *   member name; a number bound for such a column cannot go as LOAD DATA text at all.
 */
export type NumberForm = 'year' | 'by-number' | undefined

/** The NumberForm of a column of this information_schema DATA_TYPE. */
export function numberForm(dataType: string | undefined): NumberForm {
  if (dataType === 'year') return 'year'
  return dataType === 'bit' || dataType === 'enum' || dataType === 'set' ? 'by-number' : undefined
}

/**
 * Bytes gathered into chunk buffers: strings are encoded straight into the current chunk (no JS
 * string is built per row, so no garbage but the chunks), a value that does not fit starts the next.
 */
class ChunkWriter {
  chunks: Buffer[] = []
  /** Whether text written since the last take() holds a character outside the BMP (or bytes bound for a text column). */
  astral = false
  private chunk = Buffer.allocUnsafe(CHUNK_BYTES)
  private used = 0

  /** Makes room for at least `bytes` more bytes in the current chunk. */
  private room(bytes: number): void {
    if (this.chunk.length - this.used >= bytes) return
    this.cut()
    this.chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, bytes))
  }

  private cut(): void {
    if (this.used > 0) this.chunks.push(this.chunk.subarray(0, this.used))
    this.chunk = this.chunk.subarray(this.used)
    this.used = 0
  }

  /** Text as it is (the caller knows it holds nothing to escape). */
  text(text: string): void {
    // A UTF-16 code unit takes at most 3 bytes of UTF-8.
    if (text.length * 3 > MAX_CHUNK_BYTES) {
      this.bytes(Buffer.from(text, 'utf8'))
      return
    }
    this.room(text.length * 3)
    this.used += writeUtf8(this.chunk, text, this.used)
  }

  /**
   * A string field: its UTF-8 bytes, with \ tab newline NUL escaped. Most values hold none of
   * them (one native scan says so) and are written as they are; the others are escaped in the
   * chunk itself, from the end backwards, without building an escaped copy of the string.
   */
  field(text: string): void {
    if (!SPECIAL_OR_ASTRAL.test(text)) {
      this.text(text)
      return
    }
    if (ASTRAL.test(text)) this.astral = true
    if (!TEXT_SPECIAL.test(text)) {
      this.text(text)
      return
    }
    if (text.length * 6 > MAX_CHUNK_BYTES) {
      this.bytes(loadDataBytes(Buffer.from(text, 'utf8')))
      return
    }
    this.room(text.length * 6)
    const chunk = this.chunk
    const start = this.used
    const end = start + writeUtf8(chunk, text, start)
    // Where the special bytes are (native searches), then each stretch between them moved right
    // by the escapes before it (native moves), from the end backwards.
    const view = chunk.subarray(start, end)
    const positions: number[] = []
    for (const special of SPECIAL_BYTES) {
      for (let at = view.indexOf(special); at >= 0; at = view.indexOf(special, at + 1)) positions.push(start + at)
    }
    positions.sort((a, b) => a - b)
    let stretchEnd = end
    for (let i = positions.length - 1; i >= 0; i--) {
      const at = positions[i]!
      chunk.copyWithin(at + 1 + i + 1, at + 1, stretchEnd)
      chunk[at + i + 1] = BYTE_ESCAPES[chunk[at]!]!
      chunk[at + i] = 0x5c
      stretchEnd = at
    }
    this.used = end + positions.length
  }

  byte(byte: number): void {
    this.room(1)
    this.chunk[this.used++] = byte
  }

  /** Bytes as they are; large ones go as chunks of their own (each at most MAX_CHUNK_BYTES). */
  bytes(bytes: Buffer): void {
    if (bytes.length <= 4096) {
      this.room(bytes.length)
      this.used += bytes.copy(this.chunk, this.used)
      return
    }
    this.cut()
    for (let start = 0; start < bytes.length; start += MAX_CHUNK_BYTES) this.chunks.push(bytes.subarray(start, start + MAX_CHUNK_BYTES))
  }

  /** The chunks so far, and the narrowest charset that reads them; the writer goes on with new ones. */
  take(narrow: boolean): {chunks: Buffer[]; charset: LoadCharset} {
    this.cut()
    const taken = {chunks: this.chunks, charset: narrow && !this.astral ? 'utf8mb3' as const : 'utf8mb4' as const}
    this.chunks = []
    this.astral = false
    return taken
  }
}

const TAB = 0x09
const NEWLINE = 0x0a

/** What the renderer needs to know of the destination's columns. */
export interface LoadDataColumns {
  /** Per column, how it takes a number (numberForm of its type). */
  readonly forms?: readonly NumberForm[]
  /**
   * Set when every text column is utf8mb3: per column, whether it takes bytes as they are
   * (binary types). Parts whose text fits utf8mb3 are then read as utf8mb3.
   */
  readonly utf8mb3Binary?: readonly boolean[]
}

/**
 * Rows as LOAD DATA input, split into parts of at most `bulkSize` rows (0: one part). Undefined
 * when a value cannot be written as LOAD DATA text and mean the same as in an INSERT (a number
 * for a BIT, ENUM or SET column): write those rows as INSERTs.
 */
export function renderLoadData(rows: readonly Row[], columnCount: number, bulkSize = 0, columns: LoadDataColumns = {}): LoadDataPart[] | undefined {
  const forms = columns.forms ?? []
  const binary = columns.utf8mb3Binary
  const parts: LoadDataPart[] = []
  const out = new ChunkWriter()
  let partRows = 0
  const last = columnCount - 1
  for (const row of rows) {
    for (let at = 0; at < columnCount; at++) {
      const value = row[at] ?? null
      if (typeof value === 'string') {
        out.field(value)
      } else if (value === null) {
        out.text('\\N')
      } else if (Buffer.isBuffer(value)) {
        // Bytes for a text column are read in the file's charset: keep that utf8mb4, as INSERT reads them.
        if (binary && !binary[at]) out.astral = true
        out.bytes(loadDataBytes(value))
      } else {
        const form = forms[at]
        if (form === 'by-number') return undefined
        out.text(form === 'year' && Number(value) === 0 ? '0000' : scalarField(value))
      }
      out.byte(at === last ? NEWLINE : TAB)
    }
    partRows++
    if (bulkSize > 0 && partRows >= bulkSize) {
      parts.push({rows: partRows, ...out.take(binary !== undefined)})
      partRows = 0
    }
  }
  if (partRows > 0) parts.push({rows: partRows, ...out.take(binary !== undefined)})
  return parts
}

/** The statement that reads one part into `table`'s `columns`. The file name is not read by anyone: the driver sends our chunks. */
export function loadDataStatement(table: string, columns: readonly string[], charset: LoadCharset = 'utf8mb4'): string {
  return `LOAD DATA LOCAL INFILE 'm2-migrate-batch.tsv' INTO TABLE ${quoteIdentifier(table)} CHARACTER SET ${charset}`
    + ' FIELDS TERMINATED BY \'\\t\' ENCLOSED BY \'\' ESCAPED BY \'\\\\\' LINES TERMINATED BY \'\\n\' STARTING BY \'\''
    + ` (${columns.map(quoteIdentifier).join(', ')})`
}
