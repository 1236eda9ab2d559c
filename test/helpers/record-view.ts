import type {RecordView, Value} from '../../transforms/handler.js'

/**
 * A record over a plain object, for handler unit tests. Like the pipeline's views it fails with
 * "<field> field not found in the record." on a field the record lacks; `values` shows the result.
 */
export function recordView(document: string, values: Record<string, Value>): RecordView & {readonly values: Record<string, Value>} {
  const lacks = (field: string) => new Error(`${field} field not found in the record.`)
  return {
    document,
    values,
    has: (field) => Object.hasOwn(values, field),
    get(field) {
      if (!Object.hasOwn(values, field)) throw lacks(field)
      return values[field] as Value
    },
    set(field, value) {
      if (!Object.hasOwn(values, field)) throw lacks(field)
      values[field] = value
    },
  }
}
