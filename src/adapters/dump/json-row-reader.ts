/**
 * Reads rows from JSON text as a stream: NDJSON (one JSON object per line) or one JSON array of
 * objects. stream-json's tokenizer does the parsing; the text is fed to it a line at a time (a
 * long line in pieces), so every row, and every error, is known by its line. A row is assembled
 * field by field into a RowDecoder, never as a JavaScript object, and number tokens keep their
 * text (see dump-values.ts). Memory holds one input chunk and the rows decoded from it.
 */
import {getManyValues, isMany, none} from 'stream-chain/defs.js'
import {jsonParser} from 'stream-json/core/parser.js'
import {MigrationError} from '../../errors.js'
import type {Row} from '../../pipeline/row.js'
import {decodeBytes, type JsonScalar} from './dump-values.js'

export type DumpFileFormat = 'ndjson' | 'json'

/** Receives each row's fields in file order; throws an Error whose message names the column. */
export interface RowDecoder {
  begin(): void
  field(name: string, value: JsonScalar): void
  /** The row, in column order; throws when a column is missing. */
  end(): Row
}

/** The rows decoded from one input chunk, each with the line it starts on. */
export interface RowChunk {
  readonly rows: Row[]
  readonly lines: number[]
}

export interface RowSubject {
  /** The file (or `stdin`), as errors name it. */
  readonly file: string
  /** The table the rows belong to, when known. */
  readonly table?: string
}

interface Token {
  readonly name: string
  readonly value?: unknown
}

const enum State { Top, Array, RowKey, RowValue, WrapperKey, WrapperValue, WrapperEnd, End }

const HINT = 'Fix or export the file again: each line of an NDJSON file is one complete JSON object; a .json file is one array of such objects (see docs/dump-format.md).'

/** Fails naming the file, the line and the table. */
export function dumpError(subject: RowSubject, line: number, message: string, hint = HINT): MigrationError {
  const table = subject.table ? `table ${subject.table}: ` : ''
  return new MigrationError('DUMP_INVALID', `${subject.file}:${line}: ${table}${message}`, {file: subject.file, line, document: subject.table}, hint)
}

function describeToken(token: Token): string {
  switch (token.name) {
    case 'startObject': return 'an object'
    case 'startArray': return 'an array'
    case 'stringValue': return 'a string'
    case 'numberValue': return 'a number'
    case 'nullValue': return 'null'
    case 'trueValue': case 'falseValue': return 'a boolean'
    default: return `"${token.name}"`
  }
}

/**
 * Rows of JSON text, chunk by chunk, in file order. `input` yields text (decode bytes with a
 * StringDecoder or setEncoding, so characters are never split). Errors are DUMP_INVALID and
 * name the file, the line and the table: text that is not JSON, a file cut off, a row that is
 * not an object, a column the decoder refuses.
 */
export async function* readJsonRows(input: AsyncIterable<string>, format: DumpFileFormat, decoder: RowDecoder, subject: RowSubject): AsyncGenerator<RowChunk> {
  const tokenizer = jsonParser({jsonStreaming: format === 'ndjson', streamValues: false})
  // A flushable stage: called with text, or with `none` at the end of input (typed for text only).
  const parse = tokenizer as unknown as (text: string | typeof none) => unknown
  let state = State.Top as State
  let line = 1
  let rowLine = 0
  let key = ''
  let wrapper = ''
  let wrapped: Buffer | undefined
  let rows: Row[] = []
  let lines: number[] = []
  const afterRow = format === 'ndjson' ? State.Top : State.Array

  const fail = (message: string, at = line) => dumpError(subject, at, message)

  const field = (value: JsonScalar) => {
    try {
      decoder.field(key, value)
    } catch (error) {
      throw fail((error as Error).message)
    }
    state = State.RowKey
  }

  const push = (token: Token) => {
    switch (state) {
      case State.Top:
        if (format === 'json') {
          if (token.name !== 'startArray') throw fail(`a .json dump file must hold one array of row objects, found ${describeToken(token)}`)
          state = State.Array
          return
        }
        if (token.name !== 'startObject') throw fail(`a row must be a JSON object, found ${describeToken(token)}`)
        if (rowLine === line) throw fail('a line holds more than one row; an NDJSON file has one row per line')
        break
      case State.Array:
        if (token.name === 'endArray') {
          state = State.End
          return
        }
        if (token.name !== 'startObject') throw fail(`each element of the array must be a row object, found ${describeToken(token)}`)
        break
      case State.RowKey:
        if (token.name === 'endObject') {
          let row: Row
          try {
            row = decoder.end()
          } catch (error) {
            throw fail((error as Error).message, rowLine)
          }
          rows.push(row)
          lines.push(rowLine)
          state = afterRow
          return
        }
        key = token.value as string
        state = State.RowValue
        return
      case State.RowValue:
        switch (token.name) {
          case 'stringValue': return field({kind: 'string', text: token.value as string})
          case 'numberValue': return field({kind: 'number', text: token.value as string})
          case 'nullValue': return field({kind: 'null'})
          case 'trueValue': return field({kind: 'boolean', value: true})
          case 'falseValue': return field({kind: 'boolean', value: false})
          case 'startObject':
            state = State.WrapperKey
            return
          default:
            throw fail(`column ${key}: ${describeToken(token)} is not a value; write JSON text as a string, bytes as {"$hex": "…"}`)
        }
      case State.WrapperKey:
        if (token.name !== 'keyValue') throw fail(`column ${key}: an object value must be {"$hex": "…"} or {"$base64": "…"}`)
        wrapper = token.value as string
        state = State.WrapperValue
        return
      case State.WrapperValue:
        if (token.name !== 'stringValue') throw fail(`column ${key}: {"${wrapper}": …} must hold a string, found ${describeToken(token)}`)
        try {
          wrapped = decodeBytes(wrapper, token.value as string)
        } catch (error) {
          throw fail(`column ${key}: ${(error as Error).message}`)
        }
        state = State.WrapperEnd
        return
      case State.WrapperEnd:
        if (token.name !== 'endObject') throw fail(`column ${key}: an object value must hold exactly one key, $hex or $base64`)
        field({kind: 'bytes', value: wrapped!})
        wrapped = undefined
        return
      case State.End:
        throw fail('the array of rows has ended, yet more follows')
    }
    // A row starts.
    rowLine = line
    decoder.begin()
    state = State.RowKey
  }

  const feed = (text: string | typeof none) => {
    let tokens: unknown
    try {
      tokens = parse(text)
    } catch (error) {
      if (text === none) throw fail(format === 'json' && state === State.Top ? 'the file is empty; a .json dump file holds at least []' : 'the file ends inside a JSON value: it was cut off')
      throw fail(`not valid JSON: ${(error as Error).message.replace(/^Parser (cannot parse input: )?/, '')}`)
    }
    if (tokens === none) return
    if (isMany(tokens)) {
      for (const token of getManyValues(tokens) as Token[]) push(token)
    } else {
      push(tokens as Token)
    }
  }

  for await (const chunk of input) {
    let start = 0
    for (;;) {
      const newline = chunk.indexOf('\n', start)
      const end = newline < 0 ? chunk.length : newline + 1
      if (end > start) feed(chunk.slice(start, end))
      if (newline < 0) break
      // One row per line: a line that ends inside a row was cut off (the next line cannot finish it).
      if (format === 'ndjson' && state !== State.Top) throw fail('the row does not end on its line: the line was cut off, or a row spans lines', rowLine)
      line++
      start = newline + 1
    }
    if (rows.length > 0) {
      yield {rows, lines}
      rows = []
      lines = []
    }
  }
  feed(none)
  const complete = format === 'ndjson' ? state === State.Top : state === State.End
  if (!complete) throw fail(state === State.Top ? 'the file is empty; a .json dump file holds at least []' : 'the file ends inside a row: it was cut off', rowLine || line)
  if (rows.length > 0) yield {rows, lines}
}
