/**
 * Shared pieces of the handlers that load reference data (attribute ids, store ids, config
 * values) from the source or destination database. They load it once, in create(): handle() is
 * synchronous and runs per row, so it only reads what create() loaded.
 *
 * The DMT's handlers compare ids with PHP's loose `==` and test values with PHP's truthiness;
 * idKey and isEmptyValue give those answers for the values our rows carry (numbers or strings).
 */
import {describeCause, MigrationError} from '../src/errors.js'
import type {HandlerSetup, LookupPort, RecordView, Value} from './handler.js'

type SetupSubject = Pick<HandlerSetup, 'className' | 'document' | 'field' | 'at' | 'mapFile'>

/** `map.xml:12:9: handler \Migration\Handler\X on doc.field`: the subject of a handler's errors. */
export function handlerSubject(setup: SetupSubject): string {
  return `${setup.at}: handler ${setup.className} on ${setup.document}.${setup.field}`
}

/** The lookup port a handler needs; without it the handler cannot work, so create() fails. */
export function requireLookup(setup: SetupSubject & Pick<HandlerSetup, 'source' | 'destination'>, side: 'source' | 'destination', purpose: string): LookupPort {
  const port = setup[side]
  if (port) return port
  throw new MigrationError('HANDLER_FAILED', `${handlerSubject(setup)} needs the ${side} database to load ${purpose}, and this run has no ${side} database`, {document: setup.document, field: setup.field, file: setup.mapFile}, `Run this map with a config.xml whose <${side}> names a database.`)
}

/** Runs one lookup query; a failure names the handler, its field and what it was loading. */
export async function loadRows(setup: SetupSubject, port: LookupPort, purpose: string, sql: string): Promise<Value[][]> {
  try {
    return await port.query(sql)
  } catch (error) {
    throw new MigrationError('HANDLER_FAILED', `${handlerSubject(setup)}: cannot load ${purpose}: ${describeCause(error instanceof MigrationError && error.cause !== undefined ? error.cause : error)}`, {document: setup.document, field: setup.field, file: setup.mapFile}, undefined, error)
  }
}

/** A field's value the way the DMT's records answer it: NULL when the record lacks the field. */
export function valueOrNull(record: RecordView, field: string): Value {
  return record.has(field) ? record.get(field) : null
}

/** A value as text (PHP's string conversion); undefined for NULL. */
export function textOf(value: Value): string | undefined {
  if (value === null) return undefined
  if (typeof value === 'string') return value
  if (Buffer.isBuffer(value)) return value.toString('utf8')
  if (typeof value === 'boolean') return value ? '1' : ''
  return String(value)
}

const PHP_SPACE = '[ \\t\\n\\r\\v\\f]*'
const INTEGER = new RegExp(`^${PHP_SPACE}[+-]?\\d+${PHP_SPACE}$`)
const NUMERIC = new RegExp(`^${PHP_SPACE}[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?${PHP_SPACE}$`)

/** Whether PHP 8 takes the text for a number in a `==` comparison (surrounding whitespace allowed). */
export function isNumericText(text: string): boolean {
  return NUMERIC.test(text)
}

/**
 * A key under which equal ids meet: 4, '4', '04' and ' 4' all give '4' (PHP's `==` finds them
 * equal, and so does SQL's `=` on an integer column). Other text is its own key. NULL has none.
 */
export function idKey(value: Value): string | undefined {
  const text = textOf(value)
  if (text === undefined) return undefined
  if (INTEGER.test(text)) return BigInt(text.trim()).toString()
  if (NUMERIC.test(text)) return String(Number(text.trim()))
  return text
}

/** PHP's empty(): NULL, false, 0, '' and '0' are empty. */
export function isEmptyValue(value: Value): boolean {
  if (value === null || value === false || value === '' || value === '0') return true
  if (typeof value === 'number') return value === 0
  if (typeof value === 'bigint') return value === 0n
  if (Buffer.isBuffer(value)) return value.length === 0 || (value.length === 1 && value[0] === 0x30)
  return false
}

/** The ids of a one-column result, as idKey keys. */
export function idSet(rows: readonly Value[][]): Set<string> {
  const ids = new Set<string>()
  for (const [id] of rows) {
    const key = idKey(id ?? null)
    if (key !== undefined) ids.add(key)
  }
  return ids
}

/** Strips what PHP's trim() strips by default (not the wider Unicode whitespace of String.trim). */
export function phpTrim(text: string): string {
  return text.replace(/^[ \t\n\r\0\x0B]+|[ \t\n\r\0\x0B]+$/g, '')
}

/** `[a,b]` → `a,b`: the map's list brackets, which the DMT strips before splitting. */
export function stripBrackets(text: string): string {
  return text.replace(/\]+$/, '').replace(/^\[+/, '')
}
