import test from 'ava'
import type {BatchSink, RowBatch} from '../../src/adapters/document-port.js'
import type {DocumentTransformer} from '../../src/pipeline/document-transformer.js'
import type {Row} from '../../src/pipeline/row.js'
import {copyDocument} from '../../src/transfer/document-copy.js'

const identity: DocumentTransformer = {sourceColumns: ['id'], destinationColumns: ['id'], passThrough: true, transform: (row) => row}

/** Pages of `size` rows with ids 1…pages×size; each page's last key is its last id. */
function pages(count: number, size: number): RowBatch[] {
  return Array.from({length: count}, (_, page) => {
    const rows: Row[] = Array.from({length: size}, (_, at) => [String(page * size + at + 1)])
    return {rows, lastKey: rows[rows.length - 1]}
  })
}

async function* read(batches: readonly RowBatch[], onPull: (page: number) => void = () => undefined): AsyncGenerator<RowBatch> {
  for (const [at, batch] of batches.entries()) {
    onPull(at + 1)
    yield batch
  }
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

test('never more than writesInFlight batches are written at once, and that many are', async (t) => {
  let active = 0
  let most = 0
  const sink: BatchSink = {
    async write() {
      active++
      most = Math.max(most, active)
      await delay(5 + Math.floor(Math.random() * 10))
      active--
    },
  }

  await copyDocument(read(pages(20, 3)), identity, sink, {writesInFlight: 4, document: 'sales_order'})

  t.is(most, 4)
  t.is(active, 0)
})

test('a slow sink holds the reader back to writesInFlight + 1 pages ahead of the finished writes', async (t) => {
  const writesInFlight = 2
  let finished = 0
  let mostAhead = 0
  const sink: BatchSink = {
    async write() {
      await delay(15)
      finished++
    },
  }

  await copyDocument(read(pages(12, 2), (page) => {
    mostAhead = Math.max(mostAhead, page - finished)
  }), identity, sink, {writesInFlight, document: 'sales_order'})

  t.true(mostAhead <= writesInFlight + 1, `the reader got ${mostAhead} pages ahead`)
  t.true(mostAhead >= writesInFlight, 'reading goes on while writes are in flight')
})

test('each write gets one page\'s rows in order, and every page is written once in page order', async (t) => {
  const source = pages(15, 4)
  const calls: (readonly Row[])[] = []
  const sink: BatchSink = {
    async write(rows) {
      calls.push(rows)
      await delay(Math.floor(Math.random() * 8))
    },
  }

  await copyDocument(read(source), identity, sink, {writesInFlight: 3, document: 'sales_order'})

  t.deepEqual(calls, source.map((batch) => batch.rows))
})

test('the progress callback is told the rows of each committed batch', async (t) => {
  const source = pages(5, 7)
  let committed = 0
  const reported: number[] = []
  const sink: BatchSink = {
    async write(rows) {
      await delay(2)
      committed += rows.length
    },
  }

  const result = await copyDocument(read(source), identity, sink, {
    writesInFlight: 2,
    document: 'sales_order',
    onProgress: (rows) => {
      reported.push(rows)
      t.true(reported.reduce((sum, n) => sum + n, 0) <= committed, 'progress never runs ahead of committed rows')
    },
  })

  t.deepEqual(reported, [7, 7, 7, 7, 7])
  t.deepEqual(result, {rowsRead: 35, rowsWritten: 35, rowsDropped: 0})
})
