/**
 * A LookupPort for unit tests of handlers that load reference data: it answers canned rows for
 * the SQL it receives and keeps every statement, so a test can check what was asked and that
 * the number of queries does not grow with the rows transformed.
 */
import {quoteIdentifier} from '../../src/adapters/mysql/sql-text.js'
import type {HandlerSetup, LookupPort, Value} from '../../transforms/handler.js'

/** A statement matcher (a RegExp, or text the statement must contain) and the rows it answers. */
export type CannedAnswer = readonly [match: RegExp | string, rows: readonly (readonly Value[])[]]

export interface FakeLookup extends LookupPort {
  /** Every statement received, in order. */
  readonly queries: string[]
  /** How many statements were received. */
  readonly count: number
}

/**
 * A port whose table() adds `prefix` and quotes like the real one, and whose query() answers the
 * first canned answer that matches. A statement nothing matches fails, naming the statement,
 * so a test never passes on an answer it did not mean to give.
 */
export function fakeLookup(answers: readonly CannedAnswer[], options: {prefix?: string} = {}): FakeLookup {
  const prefix = options.prefix ?? ''
  const queries: string[] = []
  return {
    queries,
    get count() {
      return queries.length
    },
    table: (document) => quoteIdentifier(`${prefix}${document}`),
    async query(sql) {
      queries.push(sql)
      const answer = answers.find(([match]) => (typeof match === 'string' ? sql.includes(match) : match.test(sql)))
      if (!answer) throw new Error(`fake lookup: no canned rows for: ${sql}`)
      return answer[1].map((row) => [...row])
    },
  }
}

/** A port that fails every query with the given error, as a broken connection would. */
export function failingLookup(message: string): FakeLookup {
  const queries: string[] = []
  return {
    queries,
    get count() {
      return queries.length
    },
    table: (document) => quoteIdentifier(document),
    async query(sql) {
      queries.push(sql)
      throw new Error(message)
    },
  }
}

/** A handler setup as the Map step builds it, with lookups where the test gives them. */
export function handlerSetup(init: Partial<HandlerSetup> & Pick<HandlerSetup, 'className' | 'document' | 'field'>): HandlerSetup {
  const mapFile = init.mapFile ?? '/maps/map.xml'
  return {
    side: 'source',
    params: {},
    at: `${mapFile}:10:17`,
    warn: () => undefined,
    ...init,
    mapFile,
  }
}
