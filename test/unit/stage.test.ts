import test from 'ava'
import {DROP} from '../../src/pipeline/row.js'
import {composeStages, type RecordPair, type Stage} from '../../src/pipeline/stage.js'

function pair(): RecordPair {
  return {source: ['1'], destination: []}
}

test('composed stages run in the order given, on the same pair', (t) => {
  const stage = (mark: string): Stage => (record) => {
    record.destination.push(mark)
  }
  const record = pair()

  const result = composeStages([stage('a'), stage('b'), stage('c')])(record)

  t.not(result, DROP)
  t.deepEqual(record.destination, ['a', 'b', 'c'])
})

test('composed stages stop at the first DROP and return it', (t) => {
  const ran: string[] = []
  const stages: Stage[] = [
    () => {
      ran.push('first')
    },
    () => {
      ran.push('dropping')
      return DROP
    },
    () => {
      ran.push('after the drop')
    },
  ]

  t.is(composeStages(stages)(pair()), DROP)
  t.deepEqual(ran, ['first', 'dropping'])
})

test('a single stage keeps its DROP when composed alone', (t) => {
  t.is(composeStages([() => DROP])(pair()), DROP)
})

test('composing no stages keeps the record unchanged', (t) => {
  const record = pair()

  t.not(composeStages([])(record), DROP)
  t.deepEqual(record, pair())
})
