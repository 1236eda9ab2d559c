import {join} from 'node:path'
import type {ExecutionContext} from 'ava'
import {loadSqlFile, projectRoot, type TestDatabase, withDatabases} from './db.js'

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
