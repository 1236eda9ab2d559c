import test from 'ava'
import type {Handler, HandlerSetup, Value} from '../../transforms/handler.js'
import {salesOrderStatusStateSetVisibleOnFront} from '../../transforms/sales-order-status-state-set-visible-on-front.js'
import {recordView as record} from '../helpers/record-view.js'

/** The 1.6.1.0 map: sales_order_status_state.visible_on_front (destination side). */
function create(field = 'visible_on_front'): Handler {
  const setup: HandlerSetup = {
    className: '\\Migration\\Handler\\SalesOrderStatusState\\SetVisibleOnFront',
    document: 'sales_order_status_state',
    field,
    side: 'destination',
    params: {},
    mapFile: '/maps/map.xml',
    at: '/maps/map.xml:2096:17',
    warn: () => undefined,
  }
  return salesOrderStatusStateSetVisibleOnFront.create(setup) as Handler
}

function visibleOnFront(status: Value, state: Value): Value {
  const row = record('sales_order_status_state', {status, state, is_default: 1, visible_on_front: null})
  create().handle(row, record('sales_order_status_state', {status, state, is_default: 1}))
  return row.values.visible_on_front
}

/** The nine status-state rows of the M1 1.6.1.0 sample. */
const SAMPLE: [string, string][] = [
  ['canceled', 'canceled'], ['closed', 'closed'], ['complete', 'complete'], ['fraud', 'payment_review'], ['holded', 'holded'],
  ['payment_review', 'payment_review'], ['pending', 'new'], ['pending_payment', 'pending_payment'], ['processing', 'processing'],
]

test('of the M1 sample\'s statuses, only pending_payment is hidden from customers', (t) => {
  const visible = Object.fromEntries(SAMPLE.map(([status, state]) => [status, visibleOnFront(status, state)]))

  t.deepEqual(visible, {canceled: 1, closed: 1, complete: 1, fraud: 1, holded: 1, payment_review: 1, pending: 1, pending_payment: 0, processing: 1})
})

test('any status in the pending_payment state is hidden', (t) => {
  t.is(visibleOnFront('pending_ogone', 'pending_payment'), 0)
  t.is(visibleOnFront('pending_paypal', 'pending_payment'), 0)
})

test('the Ogone processing status is hidden, though its state is processing', (t) => {
  t.is(visibleOnFront('processed_ogone', 'processing'), 0)
})

test('the hidden status names in another state are visible', (t) => {
  t.is(visibleOnFront('processed_ogone', 'complete'), 1)
  t.is(visibleOnFront('pending_payment', 'new'), 1)
})

test('a missing field fails with "<field> field not found in the record."', (t) => {
  t.throws(() => create().handle(record('sales_order_status_state', {status: 'pending', state: 'new'}), record('sales_order_status_state', {})), {message: 'visible_on_front field not found in the record.'})
})

test('a record without state fails naming it', (t) => {
  t.throws(() => create().handle(record('sales_order_status_state', {status: 'pending', visible_on_front: null}), record('sales_order_status_state', {})), {message: 'state field not found in the record.'})
})
