import {type HandlerDefinition, requireField, type Value} from './handler.js'

const INTEGER = /^[-+]?\d+$/

/** Adds (or subtracts) `operand` to a stored value, exactly for integers. */
function shift(stored: Value, operand: string, sign: 1 | -1): Value {
  const base = stored === null ? '0' : String(stored)
  if (INTEGER.test(base) && INTEGER.test(operand)) {
    return (BigInt(base) + BigInt(sign) * BigInt(operand)).toString()
  }
  const result = Number(base) + sign * Number(operand)
  return Number.isFinite(result) ? result : null
}

/**
 * SetValue(value): sets the field to `value`. `NULL` (any case) sets SQL NULL; a value starting
 * with `+` or `-` adds to or subtracts from the stored value instead.
 */
export const setValue: HandlerDefinition = {
  name: 'SetValue',
  params: {value: {required: true, description: 'the value; NULL for null; +n / -n to add or subtract'}},
  create({field, params}) {
    const raw = params.value
    const value = raw.toUpperCase() === 'NULL' ? null : raw
    const operator = value?.charAt(0)
    const operand = value?.slice(1) ?? ''
    return {
      handle(record) {
        requireField(record, field)
        if (operator === '+') record.set(field, shift(record.get(field), operand, 1))
        else if (operator === '-') record.set(field, shift(record.get(field), operand, -1))
        else record.set(field, value)
      },
    }
  },
}
