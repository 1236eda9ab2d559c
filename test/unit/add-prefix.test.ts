import test from 'ava'
import type {Handler, HandlerSetup, Value} from '../../transforms/handler.js'
import {addPrefix} from '../../transforms/add-prefix.js'
import {recordView as record} from '../helpers/record-view.js'

function create(prefix: string, field = 'identifier'): Handler {
  const setup: HandlerSetup = {
    className: '\\Migration\\Handler\\AddPrefix',
    document: 'cms_page',
    field,
    side: 'source',
    params: {prefix},
    mapFile: '/maps/map.xml',
    at: '/maps/map.xml:50:17',
    warn: () => undefined,
  }
  return addPrefix.create(setup) as Handler
}

function prefixed(prefix: string, value: Value): Value {
  const row = record('cms_page', {page_id: 3, identifier: value})
  create(prefix).handle(row, record('cms_page', {}))
  return row.values.identifier
}

test('the prefix is put in front of the value: an M1 sample page identifier', (t) => {
  t.is(prefixed('m1-', 'about-magento-demo-store'), 'm1-about-magento-demo-store')
})

test('NULL becomes the prefix alone, as PHP joins NULL as nothing', (t) => {
  t.is(prefixed('m1-', null), 'm1-')
})

test('a number is joined as its text', (t) => {
  t.is(prefixed('store_', 5), 'store_5')
})

test('bytes stay bytes, with the prefix in UTF-8 in front', (t) => {
  t.deepEqual(prefixed('é-', Buffer.from([0x00, 0xff])), Buffer.from([0xc3, 0xa9, 0x2d, 0x00, 0xff]))
})

test('an empty prefix leaves text as it is', (t) => {
  t.is(prefixed('', 'home'), 'home')
})

test('a missing field fails with "<field> field not found in the record."', (t) => {
  t.throws(() => create('m1-', 'title').handle(record('cms_page', {identifier: 'home'}), record('cms_page', {})), {message: 'title field not found in the record.'})
})
