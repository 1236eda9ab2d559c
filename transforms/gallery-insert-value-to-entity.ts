import {type HandlerDefinition, requireField} from './handler.js'
import {linkColumn, requireSideWriter} from './side-writer-support.js'

const LINK_DOCUMENT = 'catalog_product_entity_media_gallery_value_to_entity'
const ENTITY_FIELD = 'entity_id'

/**
 * Gallery\InsertValueToEntity: a Magento 1 gallery image names its product in its own row
 * (catalog_product_entity_media_gallery.entity_id); Magento 2 links them in
 * catalog_product_entity_media_gallery_value_to_entity. For each gallery row this adds the link
 * {value_id: <the field>, entity_id: <the row's entity_id>}. The field itself is left as it is.
 *
 * The link column is `entity_id`, except in a migration that is not opensource-to-opensource
 * (config option edition_migrate) into a destination with content staging, where it is `row_id`.
 * The DMT asks Magento whether the staging module is installed; we ask the destination once
 * whether the link table has a `row_id` column, which that module gives it (see linkColumn).
 */
export const galleryInsertValueToEntity: HandlerDefinition = {
  name: 'Gallery\\InsertValueToEntity',
  params: {},
  sideDocuments: () => [LINK_DOCUMENT],
  async create(setup) {
    const {field} = setup
    const writer = requireSideWriter(setup, [LINK_DOCUMENT])
    const column = await linkColumn(setup, LINK_DOCUMENT, ENTITY_FIELD)
    return {
      handle(record) {
        requireField(record, field)
        requireField(record, ENTITY_FIELD)
        writer.add(LINK_DOCUMENT, {value_id: record.get(field), [column]: record.get(ENTITY_FIELD)})
      },
    }
  },
}
