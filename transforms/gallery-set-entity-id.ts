import {MigrationError} from '../src/errors.js'
import {type HandlerDefinition, requireField, type Value} from './handler.js'
import {handlerSubject, idKey, loadRows, requireLookup, valueOrNull} from './lookup-support.js'

const GALLERY_DOCUMENT = 'catalog_product_entity_media_gallery'

/**
 * Gallery\SetEntityId: Magento 2 gives each store's gallery value its product
 * (catalog_product_entity_media_gallery_value.entity_id), which Magento 1 keeps only on the
 * gallery row. The field is set to the entity_id of the source gallery row with the record's
 * value_id, or 0 when there is none (the DMT's integer cast of "not found").
 *
 * The DMT asks the source once per row; here every value_id → entity_id pair is loaded once, into
 * two sorted number arrays (16 bytes a gallery row, whatever the catalogue's size), and each row
 * is a binary search.
 */
export const gallerySetEntityId: HandlerDefinition = {
  name: 'Gallery\\SetEntityId',
  params: {},
  async create(setup) {
    const {field} = setup
    const purpose = `the product of each gallery row from ${GALLERY_DOCUMENT}`
    const source = requireLookup(setup, 'source', purpose)
    const rows = await loadRows(setup, source, purpose, `SELECT \`value_id\`, \`entity_id\` FROM ${source.table(GALLERY_DOCUMENT)} ORDER BY \`value_id\``)
    const entities = EntityByValue.of(rows, (value) => new MigrationError('HANDLER_FAILED', `${handlerSubject(setup)}: ${GALLERY_DOCUMENT} has value_id ${String(value)}, which is not a whole number; a gallery row's value_id must be one`, {document: setup.document, field, file: setup.mapFile}))
    return {
      handle(record) {
        requireField(record, field)
        record.set(field, entities.get(valueOrNull(record, 'value_id')))
      },
    }
  },
}

/** A whole number as a JS number, or undefined (NULL, text, fractions, beyond 2^53). */
function wholeNumber(value: Value): number | undefined {
  const key = idKey(value)
  if (key === undefined || !/^-?\d+$/.test(key)) return undefined
  const number = Number(key)
  return Number.isSafeInteger(number) ? number : undefined
}

/** value_id → entity_id, as parallel sorted arrays. */
class EntityByValue {
  private constructor(private readonly keys: Float64Array, private readonly entities: Float64Array) {}

  static of(rows: readonly Value[][], badKey: (value: Value) => Error): EntityByValue {
    const keys = new Float64Array(rows.length)
    const entities = new Float64Array(rows.length)
    let sorted = true
    rows.forEach(([value, entity], at) => {
      const key = wholeNumber(value ?? null)
      if (key === undefined) throw badKey(value ?? null)
      keys[at] = key
      // PHP's (int) of the entity: NULL and anything not a number give 0.
      entities[at] = wholeNumber(entity ?? null) ?? 0
      if (at > 0 && keys[at - 1]! > key) sorted = false
    })
    if (sorted) return new EntityByValue(keys, entities)
    const order = Array.from(keys.keys()).sort((a, b) => keys[a]! - keys[b]!)
    return new EntityByValue(Float64Array.from(order, (at) => keys[at]!), Float64Array.from(order, (at) => entities[at]!))
  }

  /** The entity of the first gallery row with this value_id, or 0. */
  get(value: Value): number {
    const key = wholeNumber(value)
    if (key === undefined) return 0
    let low = 0
    let high = this.keys.length
    while (low < high) {
      const middle = (low + high) >>> 1
      if (this.keys[middle]! < key) low = middle + 1
      else high = middle
    }
    return low < this.keys.length && this.keys[low] === key ? this.entities[low]! : 0
  }
}
