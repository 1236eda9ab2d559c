import test from 'ava'
import type {BatchSink, RowBatch} from '../../src/adapters/document-port.js'
import {mapRulesFromXml} from '../../src/config/map-reader.js'
import {parseXml} from '../../src/config/xml-document.js'
import {MigrationError} from '../../src/errors.js'
import {compileDocumentTransformer, type DocumentTransformer} from '../../src/pipeline/document-transformer.js'
import type {Row} from '../../src/pipeline/row.js'
import type {ColumnSchema, TableSchema} from '../../src/schema/table-schema.js'
import {copyDocument} from '../../src/transfer/document-copy.js'

const identity: DocumentTransformer = {sourceColumns: ['id'], destinationColumns: ['id'], passThrough: true, transform: (row) => row}

function pages(count: number, size: number): RowBatch[] {
  return Array.from({length: count}, (_, page) => {
    const rows: Row[] = Array.from({length: size}, (_, at) => [String((page * size + at + 1) * 10)])
    return {rows, lastKey: rows[rows.length - 1]}
  })
}

/** A reader that counts the pages it was asked for and whether its cleanup ran. */
function reader(batches: readonly RowBatch[], failAfter?: {pages: number; error: Error}) {
  const state = {pulled: 0, cleanedUp: false}
  async function* generate(): AsyncGenerator<RowBatch> {
    try {
      for (const batch of batches) {
        if (failAfter && state.pulled === failAfter.pages) throw failAfter.error
        state.pulled++
        yield batch
      }
    } finally {
      state.cleanedUp = true
    }
  }
  return {state, batches: generate()}
}

function deferred(): {promise: Promise<void>; resolve: () => void} {
  let resolve!: () => void
  const promise = new Promise<void>((done) => {
    resolve = done
  })
  return {promise, resolve}
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

function column(name: string): ColumnSchema {
  return {name, dataType: 'int', columnType: 'int(11)', nullable: false, defaultValue: null, autoIncrement: false, binary: false, numeric: true}
}

test('a failed write stops reading, waits for the writes in flight, and throws BATCH_FAILED naming document and key range', async (t) => {
  const {state, batches} = reader(pages(6, 1))
  const firstWrite = deferred()
  const events: string[] = []
  let call = 0
  const sink: BatchSink = {
    async write() {
      call++
      if (call === 1) {
        await firstWrite.promise
        events.push('first write finished')
        return
      }
      throw Object.assign(new Error('Duplicate entry'), {code: 'ER_DUP_ENTRY', sqlMessage: 'Duplicate entry \'20\' for key \'PRIMARY\''})
    },
  }

  const copying = copyDocument(batches, identity, sink, {writesInFlight: 2, document: 'sales_order', step: 'Map Step'})
  copying.catch(() => events.push('copy settled'))
  await delay(20)

  t.deepEqual(events, [], 'the copy waits for the write still in flight')
  t.is(state.pulled, 2, 'no page is read after the failure')

  firstWrite.resolve()
  const error = await t.throwsAsync(copying, {instanceOf: MigrationError})

  t.deepEqual(events, ['first write finished', 'copy settled'])
  t.is(error.code, 'BATCH_FAILED')
  t.regex(error.message, /^sales_order: /)
  t.true(error.message.includes('(10 .. 20]'), error.message)
  t.true(error.message.includes('Duplicate entry \'20\' for key \'PRIMARY\''), error.message)
  t.like(error.context, {document: 'sales_order', step: 'Map Step', key: '(10 .. 20]'})
  t.true(state.cleanedUp, 'the reader\'s finally block ran')
})

test('a failed write with a single write in flight is thrown as BATCH_FAILED after the preceding key', async (t) => {
  const {state, batches} = reader(pages(4, 2))
  let call = 0
  const sink: BatchSink = {
    async write() {
      call++
      if (call === 3) throw new Error('Data too long for column')
    },
  }

  const error = await t.throwsAsync(copyDocument(batches, identity, sink, {writesInFlight: 1, document: 'cms_page'}), {instanceOf: MigrationError})

  t.is(error.code, 'BATCH_FAILED')
  t.like(error.context, {document: 'cms_page', key: '(40 .. 60]'})
  t.is(call, 3, 'no write starts after the failure')
  t.is(state.pulled, 3)
  t.true(state.cleanedUp)
})

test('a handler that throws mid-stream fails the copy with HANDLER_FAILED naming the document', async (t) => {
  const source: TableSchema = {name: 'sales_order', physicalName: 'sales_order', columns: [column('id')], primaryKey: ['id'], uniqueKeys: [], averageRowLength: 0}
  const transformer = compileDocumentTransformer({
    rules: mapRulesFromXml(parseXml('<map><source/><destination/></map>', 'inline.xml')),
    source,
    destination: source,
    sourceHandlers: [{
      field: 'id',
      handler: {
        handle(record) {
          if (record.get('id') === '50') throw new Error('cannot convert 50')
        },
      },
    }],
  })
  const {state, batches} = reader(pages(4, 3))
  const written: (readonly Row[])[] = []
  const sink: BatchSink = {
    async write(rows) {
      written.push(rows)
    },
  }

  const error = await t.throwsAsync(copyDocument(batches, transformer, sink, {writesInFlight: 2, document: 'sales_order', step: 'Map Step'}), {instanceOf: MigrationError})

  t.is(error.code, 'HANDLER_FAILED')
  t.regex(error.message, /^sales_order: /)
  t.true(error.message.includes('cannot convert 50'), error.message)
  t.true(error.message.includes('after key 30'), error.message)
  t.like(error.context, {document: 'sales_order', step: 'Map Step'})
  t.deepEqual(written, [[['10'], ['20'], ['30']]], 'the page with the failing row is not written')
  t.is(state.pulled, 2)
  t.true(state.cleanedUp)
})

test('an error from the reader mid-stream propagates and no further write starts', async (t) => {
  const lost = new Error('Connection lost: The server closed the connection.')
  const {batches} = reader(pages(5, 2), {pages: 2, error: lost})
  let writes = 0
  const sink: BatchSink = {
    async write() {
      writes++
      await delay(5)
    },
  }

  const error = await t.throwsAsync(copyDocument(batches, identity, sink, {writesInFlight: 3, document: 'sales_order'}))

  t.is(error, lost)
  await delay(20)
  t.is(writes, 2)
})

test('when the reader fails, the writes already in flight finish before the error is thrown', async (t) => {
  const lost = new Error('Connection lost')
  const {batches} = reader(pages(5, 2), {pages: 2, error: lost})
  let finished = 0
  const sink: BatchSink = {
    async write() {
      await delay(15)
      finished++
    },
  }

  await t.throwsAsync(copyDocument(batches, identity, sink, {writesInFlight: 3, document: 'sales_order'}), {is: lost})

  t.is(finished, 2, 'no write is left running behind the caller')
})
