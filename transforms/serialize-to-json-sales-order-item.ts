/**
 * SerializeToJson\SalesOrderItem(ignoreBrokenData): converts an order item's product_options to
 * JSON as SerializeToJson does, and first the values serialized a second time inside them, the
 * way Magento 2 keeps them: a file option's `option_value` and `bundle_selection_attributes`
 * each become a JSON string (so they stay JSON text inside the JSON, as Magento 2 expects).
 *
 * Broken data, at the top or inside, is migrated as NULL with a warning, or stops the migration
 * when ignoreBrokenData is false. (The DMT stops on broken data inside whatever the param says.)
 */
import {type HandlerDefinition, requireField} from './handler.js'
import {PhpArray, type PhpKey, type PhpValue} from './php-serialize.js'
import {type BrokenDataPolicy, type Conversion, flagParam, handleBrokenData, jsonOf, serializedInput, strictUnserialize} from './serialize-to-json.js'

/** PHP's truthiness, which decides whether a nested value is unserialized at all. */
function truthy(value: PhpValue): boolean {
  if (value === null || value === false) return false
  if (typeof value === 'bigint') return value !== 0n
  if (typeof value === 'number') return value !== 0
  if (typeof value === 'string') return value !== '' && value !== '0'
  if (Buffer.isBuffer(value)) return value.length > 0
  if (value instanceof PhpArray) return value.size > 0
  return true
}

/** json_encode(value ? unserialize(value) : value): a nested serialized value as JSON text. */
function nestedJson(value: PhpValue, where: string): Conversion<string> {
  if (!truthy(value)) return jsonOf(value)
  if (typeof value !== 'string' && !Buffer.isBuffer(value)) return {ok: false, reason: `${where} is not serialized text`}
  const parsed = strictUnserialize(value)
  if (!parsed.ok) return {ok: false, reason: `${where}: ${parsed.reason}`}
  const json = jsonOf(parsed.value)
  return json.ok ? json : {ok: false, reason: `${where}: ${json.reason}`}
}

function keyText(key: PhpKey): string {
  return typeof key === 'bigint' ? key.toString() : JSON.stringify(key.toString())
}

/** Converts file options' option_value and bundle_selection_attributes in place; a reason if broken. */
function convertNested(data: PhpValue): string | undefined {
  if (!(data instanceof PhpArray)) return undefined
  const options = data.get('options')
  if (options instanceof PhpArray) {
    for (const [key, option] of options.entries()) {
      if (!(option instanceof PhpArray) || !option.has('option_type') || option.get('option_type') !== 'file') continue
      const where = `options[${keyText(key)}].option_value`
      const value = option.get('option_value')
      if (value === undefined) return `${where} is missing from a file option`
      const json = nestedJson(value, where)
      if (!json.ok) return json.reason
      option.set('option_value', json.value)
    }
  }
  const attributes = data.get('bundle_selection_attributes')
  if (attributes !== undefined && attributes !== null) {
    const json = nestedJson(attributes, 'bundle_selection_attributes')
    if (!json.ok) return json.reason
    data.set('bundle_selection_attributes', json.value)
  }
  return undefined
}

export const serializeToJsonSalesOrderItem: HandlerDefinition = {
  name: 'SerializeToJson\\SalesOrderItem',
  params: {
    ignoreBrokenData: {required: false, description: 'true (default): broken serialized data is migrated as NULL with a warning; false: it stops the migration'},
  },
  create(setup) {
    const {field} = setup
    const policy: BrokenDataPolicy = {migrate: flagParam(setup, 'ignoreBrokenData', true), quiet: false, param: 'ignoreBrokenData'}
    return {
      handle(record) {
        requireField(record, field)
        const value = record.get(field)
        if (value === null) return
        const parsed = strictUnserialize(serializedInput(value))
        if (!parsed.ok) return handleBrokenData(setup, record, parsed.reason, policy)
        const nested = convertNested(parsed.value)
        if (nested !== undefined) return handleBrokenData(setup, record, nested, policy)
        const json = jsonOf(parsed.value)
        if (json.ok) record.set(field, json.value)
        else handleBrokenData(setup, record, json.reason, policy)
      },
    }
  },
}
