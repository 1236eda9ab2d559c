import test from 'ava'
import type {Handler, HandlerSetup, Value} from '../../transforms/handler.js'
import {settingsUrlSuffix} from '../../transforms/settings-url-suffix.js'
import {recordView as record} from '../helpers/record-view.js'

/** settings.xml.dist: catalog/seo/product_url_suffix and category_url_suffix; the handled field is value. */
function create(field = 'value'): Handler {
  const setup: HandlerSetup = {
    className: '\\Migration\\Handler\\Settings\\UrlSuffix',
    document: 'core_config_data',
    field,
    side: 'source',
    params: {},
    mapFile: '/maps/settings.xml',
    at: '/maps/settings.xml:1179:13',
    warn: () => undefined,
  }
  return settingsUrlSuffix.create(setup) as Handler
}

function converted(value: Value): Value {
  const row = record('core_config_data', {config_id: 12, scope: 'default', scope_id: 0, path: 'catalog/seo/product_url_suffix', value})
  create().handle(row, record('core_config_data', {}))
  return row.values.value
}

test('a suffix without its dot gets one', (t) => {
  t.is(converted('html'), '.html')
  t.is(converted('htm'), '.htm')
})

test('a suffix with its dot is kept: Magento 1\'s default .html', (t) => {
  t.is(converted('.html'), '.html')
})

test('an empty suffix (no suffix at all) stays empty, and so do NULL and "0"', (t) => {
  t.is(converted(''), '')
  t.is(converted(null), null)
  t.is(converted('0'), '0')
})

test('a value that is not text is kept', (t) => {
  t.is(converted(5), 5)
})

test('a missing field fails with "<field> field not found in the record."', (t) => {
  t.throws(() => create('val').handle(record('core_config_data', {value: 'html'}), record('core_config_data', {})), {message: 'val field not found in the record.'})
})
