import test from 'ava'
import type {Handler, HandlerSetup, RecordView, Value} from '../../transforms/handler.js'
import {settingsTemplate} from '../../transforms/settings-template.js'
import {recordView as record} from '../helpers/record-view.js'

function create(field = 'value'): Handler {
  const setup: HandlerSetup = {
    className: '\\Migration\\Handler\\Settings\\Template',
    document: 'core_config_data',
    field,
    side: 'source',
    params: {},
    mapFile: '/maps/settings.xml',
    at: '/maps/settings.xml:1190:13',
    warn: () => undefined,
  }
  return settingsTemplate.create(setup) as Handler
}

const row = (value: Value) => record('core_config_data', {scope: 'default', scope_id: 0, path: 'sales_email/order/template', value})

/** The source setting (Magento 1) and the destination's setting of the same path and scope (Magento 2). */
function converted(value: Value, destination: RecordView): Value {
  const source = row(value)
  create().handle(source, destination)
  return source.values.value
}

test('a template file name of Magento 1 gives way to Magento 2\'s setting', (t) => {
  t.is(converted('sales_email_order_template', row('sales_email_order_template_m2')), 'sales_email_order_template_m2')
})

test('the id of a template saved in the database is kept', (t) => {
  t.is(converted('4', row('sales_email_order_template')), '4')
  t.is(converted(4, row('sales_email_order_template')), 4)
})

test('a name is kept when Magento 2 has no setting for the path, or an empty one', (t) => {
  // The Settings step hands an empty record when the destination has no row for the path.
  t.is(converted('sales_email_order_template', record('core_config_data', {})), 'sales_email_order_template')
  t.is(converted('sales_email_order_template', row(null)), 'sales_email_order_template')
  t.is(converted('sales_email_order_template', row('')), 'sales_email_order_template')
})

test('NULL is no number, so it too gives way to Magento 2\'s setting', (t) => {
  t.is(converted(null, row('sales_email_order_template')), 'sales_email_order_template')
})

test('a missing field fails with "<field> field not found in the record."', (t) => {
  t.throws(() => create('template').handle(row('x'), row('y')), {message: 'template field not found in the record.'})
})
