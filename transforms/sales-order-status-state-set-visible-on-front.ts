import {type HandlerDefinition, requireField} from './handler.js'
import {textOf} from './lookup-support.js'

/** Status-state pairs Magento 2 installs as not visible on the storefront. */
const INVISIBLE_PAIRS = new Set(['pending_ogone-pending_payment', 'pending_payment-pending_payment', 'processed_ogone-processing'])
/** States whose statuses the customer never sees, whatever the status. */
const INVISIBLE_STATES = new Set(['pending_payment'])

/**
 * SalesOrderStatusState\SetVisibleOnFront: sets sales_order_status_state.visible_on_front, which
 * Magento 1 lacks: 0 for the pending-payment pairs Magento 2 hides, 1 for every other pair.
 * Like the DMT, it always sets visible_on_front, whatever field the map names.
 */
export const salesOrderStatusStateSetVisibleOnFront: HandlerDefinition = {
  name: 'SalesOrderStatusState\\SetVisibleOnFront',
  params: {},
  create({field}) {
    return {
      handle(record) {
        requireField(record, field)
        requireField(record, 'status')
        requireField(record, 'state')
        const status = textOf(record.get('status')) ?? ''
        const state = textOf(record.get('state')) ?? ''
        const invisible = INVISIBLE_PAIRS.has(`${status}-${state}`) || INVISIBLE_STATES.has(state)
        record.set('visible_on_front', invisible ? 0 : 1)
      },
    }
  },
}
