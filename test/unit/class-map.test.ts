import test from 'ava'
import type {Handler, HandlerSetup, Value} from '../../transforms/handler.js'
import {resolveOptionFile} from '../../src/config/config-reader.js'
import type {MigrationConfig} from '../../src/config/migration-config.js'
import {MigrationError} from '../../src/errors.js'
import {classMap} from '../../transforms/class-map.js'
import {referencePath} from '../helpers/db.js'
import {recordView as record} from '../helpers/record-view.js'

const REAL_CLASS_MAP = referencePath('magento-dmt', 'etc', 'opensource-to-opensource', 'class-map.xml.dist')

/** The 1.9 maps: widget_instance.instance_type. resolveOptionFile answers the config's class_map. */
function setup(resolve: HandlerSetup['resolveOptionFile'] = () => REAL_CLASS_MAP): HandlerSetup {
  return {
    className: '\\Migration\\Handler\\ClassMap',
    document: 'widget_instance',
    field: 'instance_type',
    side: 'source',
    params: {},
    mapFile: '/maps/map.xml',
    at: '/maps/map.xml:868:17',
    warn: () => undefined,
    resolveOptionFile: resolve,
  }
}

function convert(handler: Handler, instanceType: Value): Value {
  const row = record('widget_instance', {instance_id: 1, instance_type: instanceType, package_theme: 'default/default', title: 'Footer links', store_ids: '0', widget_parameters: null, sort_order: 0})
  handler.handle(row, record('widget_instance', {}))
  return row.values.instance_type
}

test('a Magento 1 widget alias becomes its Magento 2 class', async (t) => {
  const handler = await classMap.create(setup())

  t.is(convert(handler, 'cms/widget_page_link'), 'Magento\\Cms\\Block\\Widget\\Page\\Link')
  t.is(convert(handler, 'catalog/product_widget_new'), 'Magento\\Catalog\\Block\\Product\\Widget\\NewWidget')
  t.is(convert(handler, 'sales/widget_guest_form'), 'Magento\\Sales\\Block\\Widget\\Guest\\Form')
})

test('an alias the class map does not name becomes NULL', async (t) => {
  const handler = await classMap.create(setup())

  t.is(convert(handler, 'core/template'), null)
  t.is(convert(handler, ''), null)
  t.is(convert(handler, null), null)
})

test('an alias the class map maps to nothing becomes NULL', async (t) => {
  const handler = await classMap.create(setup())

  t.is(convert(handler, 'catalog/product_attribute_backend_msrp'), null)
})

test('the class map is found once, when the handler is created, not per record', async (t) => {
  const asked: string[] = []
  const handler = await classMap.create(setup((option) => (asked.push(option), REAL_CLASS_MAP)))

  for (let i = 0; i < 3; i++) convert(handler, 'cms/widget_block')

  t.deepEqual(asked, ['class_map'])
})

test('without a config to name the class map, the handler fails when created, saying what it needs', async (t) => {
  const error = await t.throwsAsync(async () => classMap.create({...setup(), resolveOptionFile: undefined}), {instanceOf: MigrationError})

  t.is(error.code, 'HANDLER_PARAMS')
  t.true(error.message.startsWith('/maps/map.xml:868:17: handler \\Migration\\Handler\\ClassMap on widget_instance.instance_type'), error.message)
  t.true(error.message.includes('<class_map>'), error.message)
})

test('a config without <class_map> fails when the handler is created, naming the handler and the option', async (t) => {
  const config = {file: '/etc/m2m/config.xml', options: {map_file: 'map.xml'}} as unknown as MigrationConfig
  const error = await t.throwsAsync(async () => classMap.create(setup((option) => resolveOptionFile(config, option))), {instanceOf: MigrationError})

  t.is(error.code, 'CONFIG_INVALID')
  t.true(error.message.startsWith('/maps/map.xml:868:17: handler \\Migration\\Handler\\ClassMap on widget_instance.instance_type needs the class map: /etc/m2m/config.xml: option <class_map> is not set'), error.message)
  t.truthy(error.hint)
})

test('a missing field fails with "<field> field not found in the record."', async (t) => {
  const handler = await classMap.create(setup())

  t.throws(() => handler.handle(record('widget_instance', {instance_id: 1}), record('widget_instance', {})), {message: 'instance_type field not found in the record.'})
})
