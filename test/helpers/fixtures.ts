import {join} from 'node:path'
import type {ExecutionContext} from 'ava'
import {loadSqlFile, projectRoot, referencePath, type TestDatabase, withDatabases} from './db.js'

/** A path under the project's fixtures/ folder. */
export function fixturePath(...parts: string[]): string {
  return join(projectRoot(), 'fixtures', ...parts)
}

/** Fresh source and destination databases loaded from fixtures/<name>/{source,destination}.sql. */
export async function loadFixturePair(t: ExecutionContext, name: string): Promise<[TestDatabase, TestDatabase]> {
  const [source, destination] = await withDatabases(t, [`${name}_src`, `${name}_dst`])
  await loadSqlFile(source, fixturePath(name, 'source.sql'), {strictModeOff: true})
  await loadSqlFile(destination, fixturePath(name, 'destination.sql'), {strictModeOff: true})
  return [source, destination]
}

/**
 * The real stores of ../shared/reference/dumps: the Magento CE 1.6.1.0 sample into `m1` (loaded
 * without strict mode, as Magento 1 wrote it) and the empty Magento 2.3 schema into each of `m2`.
 */
export async function loadRealStores(m1: TestDatabase, ...m2: TestDatabase[]): Promise<void> {
  await Promise.all([
    loadSqlFile(m1, referencePath('dumps', 'magento1-ce-1.6.1.0-sample.sql'), {strictModeOff: true}),
    ...m2.map((db) => loadSqlFile(db, referencePath('dumps', 'magento2-2.3-schema.sql'))),
  ])
}
