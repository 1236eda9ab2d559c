/**
 * SerializeToJson(migrateBrokenData, suppressWarning): a PHP-serialized field becomes the JSON
 * Magento 2 keeps instead: json_encode(unserialize($value)), byte for byte as PHP writes it.
 *
 * NULL stays NULL. An empty value is false to PHP's unserialize() and so becomes `false`. Data
 * PHP cannot unserialize cleanly is broken data (the DMT runs under Magento's error handler, so
 * even a warning, such as trailing bytes, is an error there): it is migrated as NULL with a
 * warning naming the record, or stops the migration when migrateBrokenData is false. So is data
 * json_encode() cannot write (text that is not UTF-8, INF or NAN): the DMT would write an empty
 * string without a word; we say so and write NULL.
 *
 * This module also holds what the other SerializeToJson handlers share.
 */
import {MigrationError} from '../src/errors.js'
import {type HandlerDefinition, type HandlerSetup, type RecordView, requireField, type Value} from './handler.js'
import {type PhpValue, phpJsonEncode, unserialize} from './php-serialize.js'
import {transcodeSerializedToJson} from './php-serialize-json.js'

/** A field's value as the bytes PHP's unserialize() would get (PHP turns scalars into strings). */
export function serializedInput(value: Exclude<Value, null>): string | Buffer {
  if (typeof value === 'string' || Buffer.isBuffer(value)) return value
  if (typeof value === 'boolean') return value ? '1' : ''
  return String(value)
}

/** A value as text, for messages and pattern tests. */
export function valueText(value: Value): string {
  if (value === null) return 'NULL'
  if (Buffer.isBuffer(value)) return value.toString('utf8')
  if (typeof value === 'boolean') return value ? '1' : ''
  return String(value)
}

export type Conversion<T> = {readonly ok: true; readonly value: T} | {readonly ok: false; readonly reason: string}

/**
 * unserialize() as the DMT calls it without `@`: under Magento's error handler a warning is an
 * exception, so data PHP only warns about is broken too.
 */
export function strictUnserialize(input: string | Buffer): Conversion<PhpValue> {
  const result = unserialize(input)
  if (!result.ok) return {ok: false, reason: result.reason}
  if (result.warnings.length > 0) return {ok: false, reason: result.warnings.join('; ')}
  return {ok: true, value: result.value}
}

/** json_encode(), where its failure (false in PHP) is a reason. */
export function jsonOf(value: PhpValue): Conversion<string> {
  const result = phpJsonEncode(value)
  return result.ok ? {ok: true, value: result.json} : {ok: false, reason: result.reason}
}

/** json_encode(unserialize($value)), strictly. */
export function serializedToJson(value: Exclude<Value, null>): Conversion<string> {
  const input = serializedInput(value)
  // The one-pass transcoder answers for the common subset; all else (and all that is broken) takes the exact two-pass path.
  const fast = transcodeSerializedToJson(input)
  if (fast !== undefined) return {ok: true, value: fast}
  const parsed = strictUnserialize(input)
  return parsed.ok ? jsonOf(parsed.value) : parsed
}

/** Key columns of the Magento 1 tables the DMT's maps convert, for when the handler is not told its document's key (the transform command). */
const KEY_FIELDS: Readonly<Record<string, string>> = {
  admin_user: 'user_id',
  catalogrule: 'rule_id',
  core_config_data: 'config_id',
  customer_eav_attribute: 'attribute_id',
  enterprise_customersegment_segment: 'segment_id',
  enterprise_giftregistry_item_option: 'option_id',
  enterprise_giftregistry_person: 'person_id',
  enterprise_logging_event: 'log_id',
  enterprise_reminder_rule: 'rule_id',
  enterprise_reward_history: 'history_id',
  enterprise_targetrule: 'rule_id',
  sales_flat_order_item: 'item_id',
  sales_flat_quote_address: 'address_id',
  sales_flat_quote_item: 'item_id',
  sales_flat_quote_item_option: 'option_id',
  sales_flat_quote_payment: 'payment_id',
  sales_payment_transaction: 'transaction_id',
  salesrule: 'rule_id',
  widget_instance: 'instance_id',
  wishlist_item_option: 'option_id',
}

/** Key columns most other Magento 1 tables use. */
const USUAL_KEY_FIELDS = ['entity_id', 'id']

/**
 * `item_id 17`, or `entity_id, store_id 5, 1`: the record's key, from the document's key columns
 * (given to handlers in data stages as `setup.recordKey`), else from the known Magento 1 keys.
 */
export function recordId(record: RecordView, key?: readonly string[]): string {
  const known = KEY_FIELDS[record.document]
  const fallback = known !== undefined && record.has(known) ? [known] : USUAL_KEY_FIELDS.filter((name) => record.has(name)).slice(0, 1)
  const fields = key && key.length > 0 && key.every((name) => record.has(name)) ? key : fallback
  if (fields.length === 0) return 'with an unknown key'
  return `${fields.join(', ')} ${fields.map((name) => valueText(record.get(name))).join(', ')}`
}

const PREVIEW_LENGTH = 60

/** The start of a value, so that a broken one can be found in the source. */
function preview(value: Value): string {
  const text = valueText(value)
  return JSON.stringify(text.length > PREVIEW_LENGTH ? `${text.slice(0, PREVIEW_LENGTH)}…` : text)
}

export interface BrokenDataPolicy {
  /** Migrate broken data as NULL (true), or stop the migration (false). */
  readonly migrate: boolean
  /** Say nothing of broken data that is migrated as NULL. */
  readonly quiet: boolean
  /** The param that turns migrating off, for the error's advice. */
  readonly param: string
}

/** Broken data: NULL with a warning (or none), or an error that stops the migration. */
export function handleBrokenData(setup: HandlerSetup, record: RecordView, reason: string, policy: BrokenDataPolicy): void {
  const what = `record ${recordId(record, setup.recordKey)} holds data PHP cannot convert (${reason}); the value starts ${preview(record.get(setup.field))}`
  if (!policy.migrate) {
    throw new Error(`${setup.document}.${setup.field}: ${what}. Fix the value in the source, or set ${policy.param} to true to migrate such values as NULL.`)
  }
  if (!policy.quiet) setup.warn(`${what}; it is migrated as NULL`)
  record.set(setup.field, null)
}

/**
 * A true/false param. The DMT reads these loosely (and differently per handler: PHP's (bool)
 * takes "false" for true); here true/1 and false/0 (any case, or empty for false) are accepted
 * as written and anything else is refused when the handler is created.
 */
export function flagParam(setup: HandlerSetup, name: string, fallback: boolean): boolean {
  const raw = setup.params[name]
  if (raw === undefined) return fallback
  const text = raw.trim().toLowerCase()
  if (text === 'true' || text === '1') return true
  if (text === 'false' || text === '0' || text === '') return false
  throw new MigrationError('HANDLER_PARAMS', `${setup.at}: handler ${setup.className} on ${setup.document}.${setup.field}: ${name} is ${JSON.stringify(raw)}, not true or false`, {document: setup.document, field: setup.field, file: setup.mapFile}, `Set ${name} to true or false.`)
}

export const serializeToJson: HandlerDefinition = {
  name: 'SerializeToJson',
  params: {
    migrateBrokenData: {required: false, description: 'true (default): broken serialized data is migrated as NULL; false: it stops the migration'},
    suppressWarning: {required: false, description: 'true: no warning when broken data is migrated as NULL (default false)'},
  },
  create(setup) {
    const policy: BrokenDataPolicy = {
      migrate: flagParam(setup, 'migrateBrokenData', true),
      quiet: flagParam(setup, 'suppressWarning', false),
      param: 'migrateBrokenData',
    }
    const {field} = setup
    return {
      handle(record) {
        requireField(record, field)
        const value = record.get(field)
        if (value === null) return
        const json = serializedToJson(value)
        if (json.ok) record.set(field, json.value)
        else handleBrokenData(setup, record, json.reason, policy)
      },
    }
  },
}
