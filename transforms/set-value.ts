import {MigrationError} from '../src/errors.js'
import {type HandlerDefinition, requireField, type Value} from './handler.js'

/** A plain decimal: computed exactly. */
const DECIMAL = /^[-+]?(\d+(\.\d*)?|\.\d+)$/
/** Any number MariaDB may print (a double can come as `1e-5`): computed as a double. */
const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/

/** `-12.50` → [-1250n, 2]: the digits as an integer, and how many of them are decimals. */
function scaled(text: string): [bigint, number] {
  const [whole, fraction = ''] = text.split('.')
  const negative = whole.startsWith('-')
  const digits = `${whole.replace(/^[-+]/, '')}${fraction}` || '0'
  return [negative ? -BigInt(digits) : BigInt(digits), fraction.length]
}

function unscaled(value: bigint, scale: number): string {
  if (scale === 0) return value.toString()
  const negative = value < 0n
  const digits = (negative ? -value : value).toString().padStart(scale + 1, '0')
  return `${negative ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`
}

function numberText(value: Value): string {
  if (value === null) return '0'
  if (typeof value === 'boolean') return value ? '1' : '0'
  return String(value)
}

/**
 * Adds (or subtracts) `operand` to a stored value. Decimals are added exactly at the longer of the
 * two scales (a double would turn 0.1 + 0.2 into 0.30000000000000004, and 2^53 + 1 into 2^53).
 */
function shift(field: string, stored: Value, operand: string, sign: 1n | -1n): Value {
  const base = numberText(stored)
  if (DECIMAL.test(base) && DECIMAL.test(operand)) {
    const [a, aScale] = scaled(base)
    const [b, bScale] = scaled(operand)
    const scale = Math.max(aScale, bScale)
    return unscaled(a * 10n ** BigInt(scale - aScale) + sign * b * 10n ** BigInt(scale - bScale), scale)
  }
  if (NUMBER.test(base)) {
    const result = Number(base) + Number(sign) * Number(operand)
    if (Number.isFinite(result)) return result
  }
  throw new Error(`${field}: cannot ${sign > 0n ? 'add' : 'subtract'} ${operand} ${sign > 0n ? 'to' : 'from'} ${JSON.stringify(base)}; the stored value is not a number`)
}

/**
 * SetValue(value): sets the field to `value`. `NULL` (any case) sets SQL NULL; a value starting
 * with `+` or `-` adds to or subtracts from the stored value instead (NULL counts as 0).
 */
export const setValue: HandlerDefinition = {
  name: 'SetValue',
  params: {value: {required: true, description: 'the value; NULL for null; +n / -n to add or subtract'}},
  create({className, document, field, params, mapFile, at}) {
    const raw = params.value
    const value = raw.toUpperCase() === 'NULL' ? null : raw
    const operator = value?.charAt(0)
    const operand = value?.slice(1) ?? ''
    if ((operator === '+' || operator === '-') && !NUMBER.test(operand)) {
      throw new MigrationError('HANDLER_PARAMS', `${at}: handler ${className} on ${document}.${field}: value "${raw}" starts with ${operator} but ${JSON.stringify(operand)} is not a number`, {document, field, file: mapFile}, 'Use +n or -n with a number n to add or subtract; any other value is set as it is.')
    }
    return {
      handle(record) {
        requireField(record, field)
        if (operator === '+') record.set(field, shift(field, record.get(field), operand, 1n))
        else if (operator === '-') record.set(field, shift(field, record.get(field), operand, -1n))
        else record.set(field, value)
      },
    }
  },
}
