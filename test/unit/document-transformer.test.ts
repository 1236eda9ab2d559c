import test from 'ava'
import type {Handler, RecordView} from '../../transforms/handler.js'
import {setValue} from '../../transforms/set-value.js'
import {mapRulesFromXml} from '../../src/config/map-reader.js'
import type {MapRules} from '../../src/config/map-rules.js'
import {parseXml} from '../../src/config/xml-document.js'
import {type BoundHandler, compileDocumentTransformer} from '../../src/pipeline/document-transformer.js'
import {DROP, type Row, type Value} from '../../src/pipeline/row.js'
import {mappedDocuments} from '../../src/steps/map/map-documents.js'
import type {ColumnSchema, TableSchema} from '../../src/schema/table-schema.js'

function column(name: string): ColumnSchema {
  return {name, dataType: 'varchar', columnType: 'varchar(255)', nullable: true, defaultValue: null, autoIncrement: false, binary: false, numeric: false}
}

function table(name: string, columns: readonly string[]): TableSchema {
  return {name, physicalName: name, columns: columns.map(column), primaryKey: [], uniqueKeys: [], averageRowLength: 0}
}

/** A map with the given source and destination <field_rules> (and source <document_rules>). */
function map({sourceDocuments = '', sourceFields = '', destinationFields = ''}: {sourceDocuments?: string; sourceFields?: string; destinationFields?: string} = {}): MapRules {
  return mapRulesFromXml(parseXml(`<map>
  <source><document_rules>${sourceDocuments}</document_rules><field_rules>${sourceFields}</field_rules></source>
  <destination><document_rules/><field_rules>${destinationFields}</field_rules></destination>
</map>`, 'inline.xml'))
}

function bound(field: string, handle: (record: RecordView, opposite: RecordView) => void | typeof DROP, writesOpposite?: readonly string[]): BoundHandler {
  return {field, handler: {handle}, writesOpposite}
}

function transformOne(transform: (row: Row) => Row | typeof DROP, row: Row): Row {
  const result = transform(row)
  if (result === DROP) throw new Error('the record was dropped')
  return result
}

test('a document copied into an identical document is a pass-through that returns the row as read', (t) => {
  const transformer = compileDocumentTransformer({rules: map(), source: table('t', ['id', 'name']), destination: table('t', ['id', 'name'])})
  const row: Row = ['1', 'Anna']

  t.true(transformer.passThrough)
  t.deepEqual(transformer.destinationColumns, ['id', 'name'])
  t.is(transformer.transform(row), row)
})

test('an ignored source field is not copied', (t) => {
  const transformer = compileDocumentTransformer({
    rules: map({sourceFields: '<ignore><field>t.secret</field></ignore>'}),
    source: table('t', ['id', 'secret', 'name']),
    destination: table('t', ['id', 'secret', 'name']),
  })

  t.false(transformer.passThrough)
  t.deepEqual(transformer.destinationColumns, ['id', 'name'])
  t.deepEqual(transformOne(transformer.transform, ['1', 'hunter2', 'Anna']), ['1', 'Anna'])
})

test('a source column the destination lacks is dropped', (t) => {
  const transformer = compileDocumentTransformer({rules: map(), source: table('t', ['id', 'legacy', 'name']), destination: table('t', ['id', 'name'])})

  t.deepEqual(transformer.destinationColumns, ['id', 'name'])
  t.deepEqual(transformOne(transformer.transform, ['1', 'old', 'Anna']), ['1', 'Anna'])
})

test('a moved field is written under its new name', (t) => {
  const transformer = compileDocumentTransformer({
    rules: map({sourceFields: '<move><field>t.old_name</field><to>t.new_name</to></move>'}),
    source: table('t', ['id', 'old_name']),
    destination: table('t', ['id', 'new_name']),
  })

  t.deepEqual(transformer.destinationColumns, ['id', 'new_name'])
  t.deepEqual(transformOne(transformer.transform, ['1', 'Anna']), ['1', 'Anna'])
})

test('a field moved into a renamed document is written under its new name there', (t) => {
  const transformer = compileDocumentTransformer({
    rules: map({
      sourceDocuments: '<rename><document>m1_order</document><to>m2_order</to></rename>',
      sourceFields: '<move><field>m1_order.grand</field><to>m2_order.grand_total</to></move>',
    }),
    source: table('m1_order', ['entity_id', 'grand']),
    destination: table('m2_order', ['entity_id', 'grand_total']),
  })

  t.deepEqual(transformer.destinationColumns, ['entity_id', 'grand_total'])
  t.deepEqual(transformOne(transformer.transform, ['7', '19.99']), ['7', '19.99'])
})

test('a destination-only column is not written, so the database default applies', (t) => {
  const transformer = compileDocumentTransformer({rules: map(), source: table('t', ['id', 'name']), destination: table('t', ['id', 'name', 'created_at'])})

  t.deepEqual(transformer.destinationColumns, ['id', 'name'])
  t.deepEqual(transformOne(transformer.transform, ['1', 'Anna']), ['1', 'Anna'])
})

test('a source-side handler runs before the copy, on the source record', (t) => {
  const seen: {document?: string; value?: Value; oppositeDocument?: string; oppositeValue?: Value} = {}
  const transformer = compileDocumentTransformer({
    rules: map({sourceDocuments: '<rename><document>old_t</document><to>new_t</to></rename>'}),
    source: table('old_t', ['id', 'name']),
    destination: table('new_t', ['id', 'name']),
    sourceHandlers: [bound('name', (record, opposite) => {
      seen.document = record.document
      seen.value = record.get('name')
      seen.oppositeDocument = opposite.document
      seen.oppositeValue = opposite.get('name')
      record.set('name', String(record.get('name')).toUpperCase())
    })],
  })

  const out = transformOne(transformer.transform, ['1', 'anna'])

  t.deepEqual(seen, {document: 'old_t', value: 'anna', oppositeDocument: 'new_t', oppositeValue: null}, 'the destination is still empty when source handlers run')
  t.deepEqual(out, ['1', 'ANNA'], 'the copy carries the value the source handler set')
})

test('a destination-side handler runs after the copy, sees the copied values and has the destination record as opposite (as the DMT)', (t) => {
  const seen: {document?: string; value?: Value; oppositeDocument?: string; oppositeValue?: Value} = {}
  const transformer = compileDocumentTransformer({
    rules: map({sourceDocuments: '<rename><document>old_t</document><to>new_t</to></rename>'}),
    source: table('old_t', ['id', 'name', 'legacy_code']),
    destination: table('new_t', ['id', 'name']),
    destinationHandlers: [bound('name', (record, opposite) => {
      seen.document = record.document
      seen.value = record.get('name')
      seen.oppositeDocument = opposite.document
      seen.oppositeValue = opposite.get('id')
      record.set('name', `${String(record.get('name'))}/${String(opposite.get('id'))}`)
    })],
  })

  const out = transformOne(transformer.transform, ['1', 'anna', 'A7'])

  t.deepEqual(seen, {document: 'new_t', value: 'anna', oppositeDocument: 'new_t', oppositeValue: '1'})
  t.deepEqual(out, ['1', 'anna/1'])
})

test('a destination-side handler on a destination-only column writes that column', (t) => {
  const handler = setValue.create({className: 'SetValue', document: 't', field: 'store_id', side: 'destination', params: {value: '1'}, mapFile: 'inline.xml', at: 'inline.xml:1:1', warn: () => undefined}) as Handler
  const transformer = compileDocumentTransformer({
    rules: map(),
    source: table('t', ['id']),
    destination: table('t', ['id', 'store_id']),
    destinationHandlers: [{field: 'store_id', handler}],
  })

  t.deepEqual(transformer.destinationColumns, ['id', 'store_id'])
  t.deepEqual(transformOne(transformer.transform, ['5']), ['5', '1'])
})

test('handlers run in the order given, each seeing what the previous one set', (t) => {
  const trace: string[] = []
  const append = (field: string, suffix: string) => bound(field, (record) => {
    trace.push(`${field}${suffix}`)
    record.set(field, `${String(record.get(field))}${suffix}`)
  })
  const transformer = compileDocumentTransformer({
    rules: map(),
    source: table('t', ['a', 'b']),
    destination: table('t', ['a', 'b']),
    sourceHandlers: [append('a', '1'), append('b', '1'), append('b', '2')],
  })

  t.deepEqual(transformOne(transformer.transform, ['a', 'b']), ['a1', 'b12'])
  t.deepEqual(trace, ['a1', 'b1', 'b2'])
})

test('handlers bound from a map run in column order, several on one field in map order', (t) => {
  // The map lists t.b before t.a; the columns are a, b. The documents' handler lists are built
  // the way the Map step builds them: column by column, each field's handlers in file order.
  const rules = map({sourceFields: `
    <transform><field>t.b</field><handler class="\\Migration\\Handler\\SetValue"><param name="value" value="10"/></handler></transform>
    <transform><field>t.a</field><handler class="\\Migration\\Handler\\SetValue"><param name="value" value="x"/></handler></transform>
    <transform><field>t.b</field><handler class="\\Migration\\Handler\\SetValue"><param name="value" value="+5"/></handler></transform>`})
  const source = table('t', ['a', 'b'])
  const schema = {documents: ['t'], tables: new Map([['t', source]])}
  const [pair] = mappedDocuments(rules, schema, schema)
  const trace: string[] = []
  const transformer = compileDocumentTransformer({
    rules,
    source,
    destination: source,
    sourceHandlers: pair.sourceHandlers.map((config) => {
      const handler = setValue.create({...config, mapFile: rules.file, warn: () => undefined}) as Handler
      return bound(config.field, (record, opposite) => {
        trace.push(`${config.field}=${config.params.value}`)
        return handler.handle(record, opposite)
      })
    }),
  })

  t.deepEqual(transformOne(transformer.transform, ['a', '0']), ['x', '15'])
  t.deepEqual(trace, ['a=x', 'b=10', 'b=+5'])
})

test('a handler that returns DROP drops the record and no later handler runs', (t) => {
  let laterRan = false
  const transformer = compileDocumentTransformer({
    rules: map(),
    source: table('t', ['id', 'status']),
    destination: table('t', ['id', 'status']),
    sourceHandlers: [bound('status', (record) => (record.get('status') === 'deleted' ? DROP : undefined))],
    destinationHandlers: [bound('status', () => {
      laterRan = true
    })],
  })

  t.is(transformer.transform(['1', 'deleted']), DROP)
  t.false(laterRan)
  t.deepEqual(transformer.transform(['2', 'active']), ['2', 'active'])
  t.true(laterRan)
})

test('reading a field the record lacks fails with "<field> field not found in the record."', (t) => {
  const transformer = compileDocumentTransformer({
    rules: map(),
    source: table('t', ['id']),
    destination: table('t', ['id']),
    sourceHandlers: [bound('id', (record) => {
      record.get('customer_id')
    })],
  })

  t.throws(() => transformer.transform(['1']), {message: 'customer_id field not found in the record.'})
})

test('setting a destination column that is not written fails unless the handler declares it', (t) => {
  const transformer = compileDocumentTransformer({
    rules: map(),
    source: table('t', ['id']),
    destination: table('t_dest', ['id', 'extra']),
    sourceHandlers: [bound('id', (_record, opposite) => {
      opposite.set('extra', 'x')
    })],
  })

  const error = t.throws(() => transformer.transform(['1']))
  t.regex(error.message, /^t_dest\.extra /, 'names the document and column first')
  t.regex(error.message, /writesOpposite/, 'says how to declare it')
})

test('a source-side handler that declares writesOpposite gets that destination column written', (t) => {
  const transformer = compileDocumentTransformer({
    rules: map(),
    source: table('t', ['id']),
    destination: table('t', ['id', 'extra']),
    sourceHandlers: [bound('id', (record, opposite) => {
      opposite.set('extra', `from ${String(record.get('id'))}`)
    }, ['extra'])],
  })

  t.deepEqual(transformer.destinationColumns, ['id', 'extra'])
  t.deepEqual(transformOne(transformer.transform, ['1']), ['1', 'from 1'])
})

test('NULL and the empty string stay distinct through a copy', (t) => {
  const transformer = compileDocumentTransformer({
    rules: map({sourceFields: '<ignore><field>t.skip</field></ignore>'}),
    source: table('t', ['id', 'skip', 'a', 'b']),
    destination: table('t', ['id', 'a', 'b']),
  })

  const out = transformOne(transformer.transform, ['1', 'x', null, ''])

  t.is(out[1], null)
  t.is(out[2], '')
})

test('Buffers pass through untouched', (t) => {
  const transformer = compileDocumentTransformer({rules: map(), source: table('t', ['id', 'legacy', 'data']), destination: table('t', ['id', 'data'])})
  const bytes = Buffer.from([0x00, 0xff, 0x27, 0x5c, 0x0a])

  const out = transformOne(transformer.transform, ['1', 'x', bytes])

  t.is(out[1], bytes)
  t.deepEqual([...(out[1] as Buffer)], [0x00, 0xff, 0x27, 0x5c, 0x0a])
})

test('without handlers the projection names the source column copied into each destination column', (t) => {
  const transformer = compileDocumentTransformer({
    rules: map({sourceFields: '<move><field>t.old_name</field><to>t.new_name</to></move><ignore><field>t.secret</field></ignore>'}),
    source: table('t', ['id', 'secret', 'old_name']),
    destination: table('t', ['id', 'secret', 'new_name']),
  })

  t.deepEqual(transformer.destinationColumns, ['id', 'new_name'])
  t.deepEqual(transformer.projection, ['id', 'old_name'])
})

test('the projection takes the same source column as the streamed copy when two columns land on one', (t) => {
  // `code` is moved onto `sku`, and the source has its own `sku` too: whichever wins, the server-side
  // copy (projection) and the streamed copy (transform) must agree.
  const transformer = compileDocumentTransformer({
    rules: map({sourceFields: '<move><field>t.code</field><to>t.sku</to></move>'}),
    source: table('t', ['id', 'code', 'sku']),
    destination: table('t', ['id', 'sku']),
  })
  const row: Row = ['1', 'from code', 'from sku']

  const out = transformOne(transformer.transform, [...row])
  const projection = transformer.projection!
  const streamed = out[transformer.destinationColumns.indexOf('sku')]
  const projected = row[transformer.sourceColumns.indexOf(projection[transformer.destinationColumns.indexOf('sku')])]

  t.is(streamed, projected)
})

test('with a handler there is no projection', (t) => {
  const transformer = compileDocumentTransformer({
    rules: map(),
    source: table('t', ['id']),
    destination: table('t', ['id']),
    destinationHandlers: [bound('id', () => undefined)],
  })

  t.is(transformer.projection, undefined)
  t.false(transformer.passThrough)
})
