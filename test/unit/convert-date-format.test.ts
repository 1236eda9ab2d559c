import test from 'ava'
import type {Handler, HandlerSetup, Value} from '../../transforms/handler.js'
import {convertDateFormat} from '../../transforms/convert-date-format.js'
import {recordView as record} from '../helpers/record-view.js'

/** The commerce maps: enterprise_giftregistry_type.meta_xml. */
function create(field = 'meta_xml'): Handler {
  const setup: HandlerSetup = {
    className: '\\Migration\\Handler\\ConvertDateFormat',
    document: 'enterprise_giftregistry_type',
    field,
    side: 'source',
    params: {},
    mapFile: '/maps/map.xml',
    at: '/maps/map.xml:1348:17',
    warn: () => undefined,
  }
  return convertDateFormat.create(setup) as Handler
}

function converted(value: Value): Value {
  const row = record('enterprise_giftregistry_type', {type_id: 1, code: 'birthday', meta_xml: value})
  create().handle(row, record('enterprise_giftregistry_type', {}))
  return row.values.meta_xml
}

/** A gift registry type's attribute definitions, as Magento 1 EE stores them, with one date attribute. */
const BIRTHDAY_META = '<config><prototype><registry><event_date><label>Event Date</label><group>event_information</group><type>date</type><sort_order>5</sort_order><date_format>medium</date_format><frontend><is_required>1</is_required></frontend></event_date></registry></prototype></config>'

test('a named date format becomes the number of IntlDateFormatter Magento 2 stores', (t) => {
  t.is(converted(BIRTHDAY_META), BIRTHDAY_META.replace('<date_format>medium</date_format>', '<date_format>2</date_format>'))
})

test('each of the four names has its number: full 0, long 1, medium 2, short 3', (t) => {
  const formats = (names: string[]) => names.map((name) => `<date_format>${name}</date_format>`).join('')

  t.is(converted(formats(['full', 'long', 'medium', 'short', 'short'])), formats(['0', '1', '2', '3', '3']))
})

test('other text is kept: another tag, other spellings, a format already a number', (t) => {
  for (const text of ['<type>medium</type>', '<date_format>Medium</date_format>', '<date_format> short </date_format>', '<date_format>2</date_format>', 'medium']) {
    t.is(converted(text), text)
  }
})

test('NULL stays NULL', (t) => {
  t.is(converted(null), null)
})

test('bytes are converted and every other byte kept', (t) => {
  const bytes = Buffer.concat([Buffer.from([0xff, 0x00]), Buffer.from('<date_format>long</date_format>'), Buffer.from('é', 'utf8')])

  t.deepEqual(converted(bytes), Buffer.concat([Buffer.from([0xff, 0x00]), Buffer.from('<date_format>1</date_format>'), Buffer.from('é', 'utf8')]))
})

test('a missing field fails with "<field> field not found in the record."', (t) => {
  t.throws(() => create('meta').handle(record('enterprise_giftregistry_type', {meta_xml: BIRTHDAY_META}), record('enterprise_giftregistry_type', {})), {message: 'meta field not found in the record.'})
})
