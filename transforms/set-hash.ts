import {crc32} from 'node:zlib'
import {MigrationError} from '../src/errors.js'
import {type HandlerDefinition, requireField, type Value} from './handler.js'
import {handlerSubject} from './lookup-support.js'

/** The bytes PHP would hash: text as UTF-8, NULL as nothing, numbers as their decimal text. */
function bytesOf(value: Value): Buffer {
  if (Buffer.isBuffer(value)) return value
  if (value === null || value === false) return Buffer.alloc(0)
  return Buffer.from(value === true ? '1' : String(value), 'utf8')
}

const ALGORITHMS: Readonly<Record<string, (bytes: Buffer) => number>> = {
  // PHP's crc32() is zlib's CRC-32, an unsigned 32-bit number on 64-bit PHP.
  crc32: (bytes) => crc32(bytes),
}

/**
 * SetHash(hash, baseField): the field takes the hash of the opposite record's baseField, e.g. the
 * crc32 of translation.string in translation.crc_string. crc32 is the only algorithm.
 */
export const setHash: HandlerDefinition = {
  name: 'SetHash',
  params: {
    hash: {required: true, description: 'the hash algorithm: crc32'},
    baseField: {required: true, description: 'the field of the opposite record whose value is hashed'},
  },
  create(setup) {
    const {field, params, document, mapFile} = setup
    const algorithm = Object.hasOwn(ALGORITHMS, params.hash) ? ALGORITHMS[params.hash] : undefined
    if (!algorithm) {
      throw new MigrationError('HANDLER_PARAMS', `${handlerSubject(setup)}: ${params.hash} hash algorithm is not supported`, {document, field, file: mapFile}, `Use hash="${Object.keys(ALGORITHMS).join('" or hash="')}".`)
    }
    const {baseField} = params
    return {
      handle(record, opposite) {
        requireField(record, field)
        // The DMT hashes NULL for a base field the opposite record lacks; a map naming a field
        // that is not there is a mistake, so we say so instead of writing the hash of nothing.
        requireField(opposite, baseField)
        record.set(field, algorithm(bytesOf(opposite.get(baseField))))
      },
    }
  },
}
