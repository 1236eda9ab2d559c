/**
 * SerializeToJson\ItemOption: converts a quote or wishlist item option's value to JSON when the
 * option's `code` names a custom option (`option_<id>`, found anywhere in the code). Such values
 * are mostly plain text (a typed-in name, an option value id); only some are serialized (file
 * options). So, like the DMT's `@unserialize`, a value PHP cannot unserialize is kept as it is,
 * and so is one that unserializes to false; what PHP merely warns about (trailing bytes) is
 * converted. Runs after SerializeToJson\ConvertWithConditions on the same field in the DMT's maps.
 */
import {type HandlerDefinition, requireField} from './handler.js'
import {phpJsonEncode, unserialize} from './php-serialize.js'
import {recordId, serializedInput, valueText} from './serialize-to-json.js'

const CODE_FIELD = 'code'
const CUSTOM_OPTION_CODE = /option_\d+/

export const serializeToJsonItemOption: HandlerDefinition = {
  name: 'SerializeToJson\\ItemOption',
  params: {},
  create(setup) {
    const {field} = setup
    return {
      handle(record) {
        requireField(record, field)
        requireField(record, CODE_FIELD)
        const code = record.get(CODE_FIELD)
        // The DMT refuses a record whose code is NULL too (it checks with isset()).
        if (code === null) throw new Error(`${CODE_FIELD} is NULL in record ${recordId(record, setup.recordKey)}; ${setup.className} needs it to tell custom options from others`)
        const value = record.get(field)
        if (value === null || !CUSTOM_OPTION_CODE.test(valueText(code))) return
        const parsed = unserialize(serializedInput(value))
        if (!parsed.ok || parsed.value === false) return
        const json = phpJsonEncode(parsed.value)
        if (json.ok) {
          record.set(field, json.json)
          return
        }
        // json_encode() fails here: the DMT would write an empty string; the value is kept instead.
        setup.warn(`record ${recordId(record, setup.recordKey)}: the option value cannot be written as JSON (${json.reason}); it is kept as it is`)
      },
    }
  },
}
