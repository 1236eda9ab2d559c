import test from 'ava'
import type {BatchSink, RowBatch} from '../../src/adapters/document-port.js'
import {mapRulesFromXml} from '../../src/config/map-reader.js'
import {parseXml} from '../../src/config/xml-document.js'
import {MigrationError} from '../../src/errors.js'
import {compileDocumentTransformer, type DocumentTransformer} from '../../src/pipeline/document-transformer.js'
import {DROP, type Row} from '../../src/pipeline/row.js'
import type {ColumnSchema, TableSchema} from '../../src/schema/table-schema.js'
import {copyDocument} from '../../src/transfer/document-copy.js'

const identity: DocumentTransformer = {sourceColumns: ['id'], destinationColumns: ['id'], passThrough: true, transform: (row) => row}

/** An endless reader of 2-row pages that records how many pages it gave and whether its cleanup ran. */
function endlessReader() {
  const state = {pulled: 0, cleanedUp: false}
  async function* generate(): AsyncGenerator<RowBatch> {
    try {
      for (;;) {
        state.pulled++
        const rows: Row[] = [[String(state.pulled * 2 - 1)], [String(state.pulled * 2)]]
        yield {rows, lastKey: rows[1]}
      }
    } finally {
      state.cleanedUp = true
    }
  }
  return {state, batches: generate()}
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

function column(name: string): ColumnSchema {
  return {name, dataType: 'int', columnType: 'int(11)', nullable: false, defaultValue: null, autoIncrement: false, binary: false, numeric: true}
}

test('an abort stops the copy with INTERRUPTED and the reader\'s cleanup runs', async (t) => {
  const controller = new AbortController()
  const {state, batches} = endlessReader()
  let writes = 0
  let active = 0
  const sink: BatchSink = {
    async write() {
      active++
      writes++
      if (writes === 3) controller.abort()
      await delay(5)
      active--
    },
  }

  const error = await t.throwsAsync(copyDocument(batches, identity, sink, {writesInFlight: 2, signal: controller.signal, document: 'catalog_product_entity', step: 'Map Step'}), {instanceOf: MigrationError})

  t.is(error.code, 'INTERRUPTED')
  t.regex(error.message, /^catalog_product_entity: /)
  t.like(error.context, {document: 'catalog_product_entity', step: 'Map Step'})
  t.true(state.cleanedUp, 'the generator\'s finally block ran after the early stop')
  t.is(active, 0, 'the writes in flight finished before the copy returned')
  t.true(state.pulled <= 4, `read ${state.pulled} pages after the abort at page 3`)
})

test('a signal aborted before the copy starts reads and writes nothing', async (t) => {
  const controller = new AbortController()
  controller.abort()
  const {state, batches} = endlessReader()
  let writes = 0
  const sink: BatchSink = {
    async write() {
      writes++
    },
  }

  const error = await t.throwsAsync(copyDocument(batches, identity, sink, {writesInFlight: 2, signal: controller.signal, document: 'sales_order'}), {instanceOf: MigrationError})

  t.is(error.code, 'INTERRUPTED')
  t.is(state.pulled, 0)
  t.is(writes, 0)
})

test('dropped rows are counted in rowsDropped and never written', async (t) => {
  const table: TableSchema = {name: 'customer_entity', physicalName: 'customer_entity', columns: [column('id')], primaryKey: ['id'], uniqueKeys: [], averageRowLength: 0}
  const transformer = compileDocumentTransformer({
    rules: mapRulesFromXml(parseXml('<map><source/><destination/></map>', 'inline.xml')),
    source: table,
    destination: table,
    sourceHandlers: [{field: 'id', handler: {handle: (record) => (Number(record.get('id')) % 2 === 0 ? DROP : undefined)}}],
  })
  async function* read(): AsyncGenerator<RowBatch> {
    for (let page = 0; page < 3; page++) {
      const rows: Row[] = [[String(page * 3 + 1)], [String(page * 3 + 2)], [String(page * 3 + 3)]]
      yield {rows, lastKey: rows[2]}
    }
  }
  const written: Row[] = []
  let progress = 0
  const sink: BatchSink = {
    async write(rows) {
      written.push(...rows)
    },
  }

  const result = await copyDocument(read(), transformer, sink, {writesInFlight: 2, document: 'customer_entity', onProgress: (rows) => {
    progress += rows
  }})

  t.deepEqual(written, [['1'], ['3'], ['5'], ['7'], ['9']])
  t.deepEqual(result, {rowsRead: 9, rowsWritten: 5, rowsDropped: 4})
  t.is(progress, 9, 'progress counts the rows read, dropped ones included, against the source total')
})
