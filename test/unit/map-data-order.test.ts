import test from 'ava'
import type {TableSchema} from '../../src/schema/table-schema.js'
import {largestFirst, pageRows} from '../../src/steps/map/map-data.js'

function table(name: string, dataBytes?: number, averageRowLength = 0): TableSchema {
  return {name, physicalName: name, columns: [], primaryKey: ['id'], uniqueKeys: [], averageRowLength, dataBytes}
}

const job = (name: string, dataBytes?: number) => ({pair: {source: table(name, dataBytes)}})
const names = (jobs: ReadonlyArray<{pair: {source: TableSchema}}>) => jobs.map((entry) => entry.pair.source.name)

test('the largest documents start first, so the longest one does not run alone at the end', (t) => {
  t.deepEqual(names(largestFirst([job('catalog', 66e6), job('cms_page', 394e6), job('sales_item', 679e6)])), ['sales_item', 'cms_page', 'catalog'])
})

test('documents of equal or unknown size keep their order, unknown ones after the rest', (t) => {
  t.deepEqual(names(largestFirst([job('a'), job('b', 10), job('c'), job('d', 10), job('e', 0)])), ['b', 'd', 'a', 'c', 'e'])
})

test('a page holds about 2 MB of rows, between 10 and 5,000 of them; bulk_size decides when set', (t) => {
  t.is(pageRows(table('small', 0, 60), 0), 5000)
  t.is(pageRows(table('wide', 0, 4096), 0), 512)
  t.is(pageRows(table('huge', 0, 10 * 1024 * 1024), 0), 10)
  t.is(pageRows(table('huge', 0, 10 * 1024 * 1024), 300), 300)
})
