/**
 * SerializeToJson\ConvertWithConditions(conditionalField, conditionalFieldValuesPattern,
 * ignoreBrokenData): converts the field as SerializeToJson does, but only in records whose
 * `conditionalField` matches the PHP (PCRE) pattern; other records keep their value. The DMT's
 * maps use it on quote and wishlist item options, converting the options whose code is one of
 * the serialized kinds (info_buyRequest, attributes, bundle_selection_ids, …).
 *
 * Broken data is migrated as NULL with a warning (always: this handler has no suppressWarning),
 * or stops the migration when ignoreBrokenData is false.
 */
import {MigrationError} from '../src/errors.js'
import {type HandlerDefinition, type HandlerSetup, requireField} from './handler.js'
import {type BrokenDataPolicy, flagParam, handleBrokenData, recordId, serializedToJson, valueText} from './serialize-to-json.js'

const BRACKET_PAIRS: Readonly<Record<string, string>> = {'(': ')', '[': ']', '{': '}', '<': '>'}
/** PCRE escapes JavaScript reads differently (as a plain letter, or not at all). */
const UNSUPPORTED_ESCAPES = new Set(['A', 'z', 'Z', 'G', 'h', 'H', 'R', 'K', 'X', 'Q', 'E', 'e', 'a', 'C', 'N', 'p', 'P'])
/** PCRE modifiers with a JavaScript equivalent ('A' anchors at the start: a sticky match from 0). */
const MODIFIER_FLAGS: Readonly<Record<string, string>> = {i: 'i', m: 'm', s: 's', u: 'u', A: 'y', D: '', S: ''}

/** Where the pattern's closing delimiter is (an unescaped one; brackets nest). */
function closingDelimiter(text: string, open: string): number {
  const close = BRACKET_PAIRS[open] ?? open
  let depth = 1
  for (let i = 1; i < text.length; i++) {
    const char = text[i]
    if (char === '\\') i++
    else if (char === close && --depth === 0) return i
    else if (char === open && close !== open) depth++
  }
  return -1
}

/**
 * A PHP regex literal (`/body/flags`, or another delimiter) as a RegExp, or a reason why it
 * cannot be one that matches as PCRE would.
 */
export function phpPattern(literal: string): RegExp | string {
  const text = literal.replace(/^[ \t\n\r\v\f]+/, '')
  const open = text[0]
  if (open === undefined || /[a-zA-Z0-9\\\s]/.test(open)) return 'it does not start with a delimiter such as /'
  const end = closingDelimiter(text, open)
  if (end < 0) return `it has no closing delimiter ${BRACKET_PAIRS[open] ?? open}`
  const body = text.slice(1, end)
  let flags = ''
  for (const modifier of text.slice(end + 1)) {
    // PCRE skips spaces and line breaks among the modifiers.
    if (modifier === ' ' || modifier === '\n' || modifier === '\r') continue
    const flag = MODIFIER_FLAGS[modifier]
    if (flag === undefined) return `its modifier "${modifier}" has no JavaScript equivalent here`
    if (!flags.includes(flag)) flags += flag
  }
  for (let i = 0; i < body.length; i++) {
    if (body[i] !== '\\') continue
    i++
    if (UNSUPPORTED_ESCAPES.has(body[i] ?? '')) return `its escape \\${body[i]} is not supported here`
  }
  if (/\(\?(P?<[a-zA-Z_]|P=|P>|>|\||#|[imsxU-]+[:)])/.test(body) || /[*+?}]\+/.test(body)) {
    return 'it uses PCRE syntax JavaScript lacks (named groups in the P form, atomic or possessive groups, inline options, comments)'
  }
  try {
    return new RegExp(body, flags)
  } catch (error) {
    return (error as Error).message
  }
}

function compilePattern(setup: HandlerSetup, literal: string): RegExp {
  const pattern = phpPattern(literal)
  if (pattern instanceof RegExp) return pattern
  throw new MigrationError('HANDLER_PARAMS', `${setup.at}: handler ${setup.className} on ${setup.document}.${setup.field}: conditionalFieldValuesPattern ${JSON.stringify(literal)} cannot be used: ${pattern}`, {document: setup.document, field: setup.field, file: setup.mapFile}, 'Write it as a PHP regex with delimiters, such as /(info_buyRequest)|(attributes)/.')
}

export const serializeToJsonConvertWithConditions: HandlerDefinition = {
  name: 'SerializeToJson\\ConvertWithConditions',
  params: {
    conditionalField: {required: true, description: 'the field of the same record whose value decides whether to convert'},
    conditionalFieldValuesPattern: {required: true, description: 'a PHP regex (with delimiters) the conditional field must match'},
    ignoreBrokenData: {required: false, description: 'true (default): broken serialized data is migrated as NULL with a warning; false: it stops the migration'},
  },
  create(setup) {
    const {field} = setup
    const conditionalField = setup.params.conditionalField!
    if (conditionalField === '') {
      throw new MigrationError('HANDLER_PARAMS', `${setup.at}: handler ${setup.className} on ${setup.document}.${field}: conditionalField is empty`, {document: setup.document, field, file: setup.mapFile}, 'Name the field whose value decides whether to convert, such as code.')
    }
    const pattern = compilePattern(setup, setup.params.conditionalFieldValuesPattern!)
    const policy: BrokenDataPolicy = {migrate: flagParam(setup, 'ignoreBrokenData', true), quiet: false, param: 'ignoreBrokenData'}
    return {
      handle(record) {
        requireField(record, field)
        requireField(record, conditionalField)
        const condition = record.get(conditionalField)
        // The DMT refuses a record whose conditional field is NULL too (it checks with isset()).
        if (condition === null) throw new Error(`${conditionalField} is NULL in record ${recordId(record, setup.recordKey)}; ${setup.className} needs it to decide whether to convert ${field}`)
        const value = record.get(field)
        pattern.lastIndex = 0
        if (value === null || !pattern.test(valueText(condition))) return
        const json = serializedToJson(value)
        if (json.ok) record.set(field, json.value)
        else handleBrokenData(setup, record, json.reason, policy)
      },
    }
  },
}
