import {MigrationError} from '../src/errors.js'
import {type HandlerDefinition, requireField, type Value} from './handler.js'
import {handlerSubject, phpTrim, stripBrackets} from './lookup-support.js'

/** The key a stored value is looked up under, as PHP's array keys see it (NULL as '', false as 0). */
function keyOf(value: Value): string {
  if (value === null) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'boolean') return value ? '1' : '0'
  if (Buffer.isBuffer(value)) return value.toString('utf8')
  return String(value)
}

/**
 * `[a:b;c:d]` → {a → b, c → d}. Each entry is trimmed (maps spread over several lines are common),
 * but the key and value inside it are taken as written; a later repeat of a key wins.
 */
function parseMap(raw: string): Map<string, string> | string {
  const map = new Map<string, string>()
  for (const entry of stripBrackets(raw).split(';')) {
    const parts = phpTrim(entry).split(':')
    if (parts.length !== 2) return entry
    map.set(parts[0], parts[1])
  }
  return map
}

/**
 * Convert(map, defaultValue): replaces a value the map names (`[one_column:1column;three_columns:3columns]`);
 * any other value becomes defaultValue when one is given, or stays as it is.
 */
export const convert: HandlerDefinition = {
  name: 'Convert',
  params: {
    map: {required: true, description: 'the pairs, `[from:to;from:to]`; no key or value may hold `:` or `;`'},
    defaultValue: {required: false, description: 'what a value the map does not name becomes; empty or 0 leaves such values unchanged'},
  },
  create(setup) {
    const {field, params, document, mapFile, warn} = setup
    const map = parseMap(params.map)
    if (typeof map === 'string') {
      throw new MigrationError('HANDLER_PARAMS', `${handlerSubject(setup)}: map entry ${JSON.stringify(phpTrim(map))} is not of the form from:to`, {document, field, file: mapFile}, 'Write the map as [from:to;from:to], one colon per entry.')
    }
    // PHP reads "" and "0" as false, so the DMT takes no default then; we do the same, and say so.
    const given = params.defaultValue
    const defaultValue = given === undefined || given === '' || given === '0' ? undefined : given
    if (given === '0') warn('defaultValue "0" is ignored, as the Data Migration Tool ignores it: values the map does not name stay as they are')
    return {
      handle(record) {
        requireField(record, field)
        const converted = map.get(keyOf(record.get(field)))
        if (converted !== undefined) record.set(field, converted)
        else if (defaultValue !== undefined) record.set(field, defaultValue)
      },
    }
  },
}
