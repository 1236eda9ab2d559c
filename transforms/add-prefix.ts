import {type HandlerDefinition, requireField, type Value} from './handler.js'
import {textOf} from './lookup-support.js'

/** PHP's `prefix . value`: NULL adds nothing, bytes stay bytes. */
function prefixed(prefix: string, value: Value): Value {
  if (Buffer.isBuffer(value)) return Buffer.concat([Buffer.from(prefix, 'utf8'), value])
  return prefix + (textOf(value) ?? '')
}

/** AddPrefix(prefix): puts `prefix` in front of the value; a NULL becomes the prefix alone. */
export const addPrefix: HandlerDefinition = {
  name: 'AddPrefix',
  params: {prefix: {required: true, description: 'the text put in front of the value'}},
  create({field, params}) {
    const {prefix} = params
    return {
      handle(record) {
        requireField(record, field)
        record.set(field, prefixed(prefix, record.get(field)))
      },
    }
  },
}
