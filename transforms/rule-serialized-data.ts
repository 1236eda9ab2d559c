import {type HandlerDefinition, requireField, type Value} from './handler.js'
import {type ClassMap, classMapOf} from './class-map-option.js'
import {PhpArray, serialize} from './php-serialize.js'
import {serializedInput, strictUnserialize} from './serialize-to-json.js'

/**
 * Rule\SerializedData: a catalog or sales rule's serialized conditions and actions name Magento
 * 1 classes (`catalogrule/rule_condition_product`). The field is unserialized and every string
 * in it (at any depth; keys are left alone) that the class map knows is replaced by its Magento 2
 * class; the result is serialized again. A string the map does not know, or maps to nothing,
 * stays. A value that is not a serialized array (NULL, empty, a scalar, an object) is left as it
 * is.
 *
 * So is data PHP cannot unserialize: the DMT stops there (its error handler makes PHP's notice an
 * exception); here it passes unchanged to the next handler, and every map that names this
 * handler converts the same field with SerializeToJson next, which reports broken data and
 * migrates it as NULL (or stops, as its params say).
 *
 * The text is written back as PHP ≥ 7.1 serializes it (floats in the shortest form that reads
 * back the same): a float that Magento 1's PHP 5 wrote with 17 digits (`d:0.10000000000000001;`)
 * comes back as `d:0.1;`, the same number.
 */
export const ruleSerializedData: HandlerDefinition = {
  name: 'Rule\\SerializedData',
  params: {},
  async create(setup) {
    const {field} = setup
    const classes = await classMapOf(setup)
    return {
      handle(record) {
        requireField(record, field)
        const value = record.get(field)
        if (value === null) return
        const parsed = strictUnserialize(serializedInput(value))
        if (!parsed.ok || !(parsed.value instanceof PhpArray)) return
        replaceClassNames(parsed.value, classes)
        record.set(field, textOrBytes(serialize(parsed.value)))
      },
    }
  },
}

/** Replaces, in place and at every depth, the strings the class map converts. */
function replaceClassNames(array: PhpArray, classes: ClassMap): void {
  for (const [key, element] of array.entries()) {
    if (element instanceof PhpArray) {
      replaceClassNames(element, classes)
    } else if (typeof element === 'string') {
      // The DMT keeps the value when the map gives '' (not named) or nothing (named, mapped to nothing).
      const converted = classes.convertClassName(element)
      if (converted) array.set(key, converted)
    }
  }
}

const utf8 = new TextDecoder('utf-8', {fatal: true, ignoreBOM: true})

/** Serialized bytes as text when they are UTF-8 (they are, unless a string in them is not). */
function textOrBytes(bytes: Buffer): Value {
  try {
    return utf8.decode(bytes)
  } catch {
    return bytes
  }
}
