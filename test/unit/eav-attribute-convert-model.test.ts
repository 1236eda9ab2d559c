import test from 'ava'
import type {Handler, HandlerSetup, Value} from '../../transforms/handler.js'
import {MigrationError} from '../../src/errors.js'
import {eavAttributeConvertModel} from '../../transforms/eav-attribute-convert-model.js'
import {referencePath} from '../helpers/db.js'
import {recordView as record} from '../helpers/record-view.js'

const REAL_CLASS_MAP = referencePath('magento-dmt', 'etc', 'opensource-to-opensource', 'class-map.xml.dist')

/** map-eav.xml.dist: eav_attribute.backend_model (and frontend_model, source_model, ...). */
function setup(field: string): HandlerSetup {
  return {
    className: '\\Migration\\Handler\\EavAttribute\\ConvertModel',
    document: 'eav_attribute',
    field,
    side: 'source',
    params: {},
    mapFile: '/maps/map-eav.xml',
    at: '/maps/map-eav.xml:18:17',
    warn: () => undefined,
    resolveOptionFile: () => REAL_CLASS_MAP,
  }
}

/** An eav_attribute row of the M1 sample with the given model, and the Magento 2 attribute's row. */
async function converted(field: string, model: Value, destinationModel: Value = null): Promise<Value> {
  const handler: Handler = await eavAttributeConvertModel.create(setup(field))
  const row = record('eav_attribute', {attribute_id: 100, entity_type_id: 10, attribute_code: 'sku', [field]: model})
  handler.handle(row, record('eav_attribute', {attribute_id: 74, entity_type_id: 4, attribute_code: 'sku', [field]: destinationModel}))
  return row.values[field]
}

test('the M1 sample\'s models become their Magento 2 classes', async (t) => {
  t.is(await converted('backend_model', 'catalog/product_attribute_backend_sku'), 'Magento\\Catalog\\Model\\Product\\Attribute\\Backend\\Sku')
  t.is(await converted('source_model', 'eav/entity_attribute_source_table'), 'Magento\\Eav\\Model\\Entity\\Attribute\\Source\\Table')
  t.is(await converted('frontend_model', 'catalog/product_attribute_frontend_image'), 'Magento\\Catalog\\Model\\Product\\Attribute\\Frontend\\Image')
})

test('a model is converted even when Magento 2 has another model for the attribute', async (t) => {
  t.is(await converted('backend_model', 'catalog/product_attribute_backend_price', 'Vendor\\Price'), 'Magento\\Catalog\\Model\\Product\\Attribute\\Backend\\Price')
})

test('a model the class map maps to nothing becomes NULL: the M1 sample\'s sales_entity backends', async (t) => {
  t.is(await converted('backend_model', 'sales_entity/order_attribute_backend_child'), null)
  t.is(await converted('backend_model', 'catalog/product_attribute_backend_msrp', 'Magento\\Msrp\\Model\\Product\\Attribute\\Backend\\Msrp'), null)
})

test('a model the class map does not name becomes NULL', async (t) => {
  t.is(await converted('source_model', 'mymodule/attribute_source_colors'), null)
})

test('an empty model takes the Magento 2 attribute\'s model when it has one', async (t) => {
  // The M1 sample's news_from_date has frontend_model ''; Magento 2's has its datetime frontend.
  t.is(await converted('frontend_model', '', 'Magento\\Eav\\Model\\Entity\\Attribute\\Frontend\\Datetime'), 'Magento\\Eav\\Model\\Entity\\Attribute\\Frontend\\Datetime')
  t.is(await converted('frontend_model', null, 'Magento\\Eav\\Model\\Entity\\Attribute\\Frontend\\Datetime'), 'Magento\\Eav\\Model\\Entity\\Attribute\\Frontend\\Datetime')
})

test('an empty model stays empty, as NULL, when the Magento 2 attribute has none either', async (t) => {
  t.is(await converted('frontend_model', '', ''), null)
  t.is(await converted('frontend_model', '', null), null)
  t.is(await converted('frontend_model', null, '0'), null)
})

test('an opposite record without the field counts as one without a model', async (t) => {
  const handler: Handler = await eavAttributeConvertModel.create(setup('attribute_model'))
  const row = record('eav_attribute', {attribute_id: 100, attribute_model: ''})
  handler.handle(row, record('eav_attribute', {attribute_id: 74}))

  t.is(row.values.attribute_model, null)
})

test('a missing field fails with "<field> field not found in the record."', async (t) => {
  const handler: Handler = await eavAttributeConvertModel.create(setup('backend_model'))

  t.throws(() => handler.handle(record('eav_attribute', {attribute_id: 100}), record('eav_attribute', {})), {message: 'backend_model field not found in the record.'})
})

test('without a config to name the class map, the handler fails when created', async (t) => {
  const error = await t.throwsAsync(async () => eavAttributeConvertModel.create({...setup('backend_model'), resolveOptionFile: undefined}), {instanceOf: MigrationError})

  t.true(error.message.includes('<class_map>'), error.message)
})
