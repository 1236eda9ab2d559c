/**
 * The fixture of the crash-safe resume tests: a source database with a large keyed document, a
 * document with a composite key, a transformed document and an unkeyed one; an identically shaped
 * destination; a reference destination that gets one clean, uninterrupted run; helpers to run
 * migrate:data as a child process (to SIGKILL or SIGINT it), and the comparison of a destination
 * with the reference.
 */
import {type ChildProcess, spawn} from 'node:child_process'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import type {ExecutionContext} from 'ava'
import {projectRoot, type TestDatabase, withDatabases} from './db.js'
import {migrateData, writeConfig} from './migration.js'
import {tempFolder} from './temp.js'

export const PROGRESS_TABLE = 'm2migrate_progress'

/** The key of each keyed document; null for the unkeyed one. */
export const DOCUMENT_KEYS: Readonly<Record<string, readonly string[] | null>> = {
  big_orders: ['id'],
  eav_values: ['entity_id', 'attribute_id', 'store_id'],
  products: ['entity_id'],
  visit_log: null,
}

export const DOCUMENTS = Object.keys(DOCUMENT_KEYS)

/** Rows of the smaller documents (big_orders has FixtureOptions.bigRows). */
export const EAV_ROWS = 30_000
export const PRODUCT_ROWS = 10_000
export const VISIT_ROWS = 400

const TABLES = [
  `CREATE TABLE big_orders (
    id int unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY,
    increment_id varchar(32) NOT NULL,
    customer_id int unsigned NOT NULL,
    grand_total decimal(12,4) NOT NULL,
    note varchar(64) NULL,
    label varchar(60) NOT NULL,
    created_at datetime NOT NULL
  ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
  `CREATE TABLE eav_values (
    entity_id int unsigned NOT NULL,
    attribute_id smallint unsigned NOT NULL,
    store_id smallint unsigned NOT NULL,
    value varchar(255) NULL,
    PRIMARY KEY (entity_id, attribute_id, store_id)
  ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
  `CREATE TABLE products (
    entity_id int unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY,
    sku varchar(64) NOT NULL,
    position int NOT NULL,
    status smallint NULL,
    price decimal(12,4) NULL
  ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
  `CREATE TABLE visit_log (
    visitor_id int NOT NULL,
    url varchar(128) NOT NULL,
    visited_at datetime NULL
  ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`,
]

/**
 * Rows generated on the server from MariaDB's sequence engine (mysql.seq_1_to_N). Every value
 * is a function of the sequence number, so two fixtures hold the same data.
 */
function fillStatements(bigRows: number): string[] {
  return [
    // note: NULL, '' and text mixed; label: 2-, 3- and 4-byte UTF-8.
    `INSERT INTO big_orders (id, increment_id, customer_id, grand_total, note, label, created_at)
      SELECT seq, CONCAT('1', LPAD(seq, 9, '0')), seq MOD 977, (seq * 7919 MOD 10000000) / 10000,
        CASE seq MOD 7 WHEN 0 THEN NULL WHEN 1 THEN '' ELSE CONCAT('note ', seq) END,
        CONCAT('zamówienie ', seq, ' – 注文 😀'), '2010-01-01 00:00:00' + INTERVAL seq * 37 SECOND
      FROM mysql.seq_1_to_${bigRows}`,
    // 1000 entities × 5 attributes × 6 stores, inserted out of key order.
    `INSERT INTO eav_values (entity_id, attribute_id, store_id, value)
      SELECT (seq - 1) MOD 1000 + 1, 70 + (seq - 1) DIV 1000 MOD 5, (seq - 1) DIV 5000,
        CASE seq MOD 11 WHEN 0 THEN NULL WHEN 1 THEN '' ELSE CONCAT('wartość ', seq) END
      FROM mysql.seq_1_to_${EAV_ROWS}`,
    `INSERT INTO products (entity_id, sku, position, status, price)
      SELECT seq, CONCAT('SKU-', seq), CAST(seq MOD 50 AS SIGNED) - 10, IF(seq MOD 3 = 0, NULL, seq MOD 2), IF(seq MOD 13 = 0, NULL, seq / 8)
      FROM mysql.seq_1_to_${PRODUCT_ROWS}`,
    // Whole-row duplicates on purpose (seq MOD 150): an unkeyed table is a multiset.
    `INSERT INTO visit_log (visitor_id, url, visited_at)
      SELECT seq MOD 150, CONCAT('/catalog/ścieżka-', seq MOD 150 MOD 37), IF(seq MOD 150 MOD 10 = 0, NULL, '2012-06-01 00:00:00' + INTERVAL seq MOD 150 HOUR)
      FROM mysql.seq_1_to_${VISIT_ROWS}`,
  ]
}

/** big_orders.increment_id of a row: unique in the generated data. */
export function incrementId(id: number): string {
  return `1${String(id).padStart(9, '0')}`
}

/** Stale rows the destination holds before the run: migrate:data must empty each document first. */
const STALE_ROWS = [
  `INSERT INTO big_orders VALUES (5, 'stale-5', 1, 1, 'stale', 'stale', '2000-01-01'), (999999, 'stale-999999', 1, 1, NULL, 'stale', '2000-01-01')`,
  `INSERT INTO eav_values VALUES (1, 70, 0, 'stale'), (5000, 1, 1, 'stale')`,
  `INSERT INTO products VALUES (1, 'stale', 0, 0, 0)`,
  `INSERT INTO visit_log VALUES (1, '/stale', NULL)`,
]

/**
 * The map: a source transform adding 5 to products.position (SetValue +5) and a destination
 * transform setting products.status (SetValue 1).
 */
export const MAP_XML = `<?xml version="1.0" encoding="UTF-8"?>
<!-- m2-migrate resume fixture map. -->
<map>
  <source>
    <document_rules>
      <ignore><document>none_such</document></ignore>
    </document_rules>
    <field_rules>
      <transform>
        <field>products.position</field>
        <handler class="\\Migration\\Handler\\SetValue"><param name="value" value="+5"/></handler>
      </transform>
    </field_rules>
  </source>
  <destination>
    <document_rules>
      <ignore><document>none_such</document></ignore>
    </document_rules>
    <field_rules>
      <transform>
        <field>products.status</field>
        <handler class="\\Migration\\Handler\\SetValue"><param name="value" value="1"/></handler>
      </transform>
    </field_rules>
  </destination>
</map>
`

export interface FixtureOptions {
  /** Rows of big_orders (default 120,000). */
  readonly bigRows?: number
  /** bulk_size in config.xml (default 1000). */
  readonly bulkSize?: number
  /** Run after the tables are created and filled: (source, destination, reference). */
  readonly prepare?: (source: TestDatabase, destination: TestDatabase, reference: TestDatabase) => Promise<void>
}

export interface ResumeFixture {
  readonly source: TestDatabase
  readonly destination: TestDatabase
  readonly reference: TestDatabase
  readonly mapFile: string
  /** config.xml migrating source → destination. */
  readonly config: string
  /** config.xml migrating source → reference. */
  readonly referenceConfig: string
  readonly bigRows: number
}

/** Creates the three databases (dropped at the test's end), the map and both configs. */
export async function createResumeFixture(t: ExecutionContext, options: FixtureOptions = {}): Promise<ResumeFixture> {
  const bigRows = options.bigRows ?? 120_000
  const [source, destination, reference] = await withDatabases(t, ['resume_src', 'resume_dst', 'resume_ref'])
  await Promise.all([source, destination, reference].map(async (db) => {
    for (const statement of TABLES) await db.exec(statement)
  }))
  await Promise.all([
    (async () => {
      for (const statement of fillStatements(bigRows)) await source.exec(statement)
    })(),
    (async () => {
      for (const statement of STALE_ROWS) await destination.exec(statement)
    })(),
  ])
  await options.prepare?.(source, destination, reference)
  const mapFile = join(tempFolder('resume'), 'map.xml')
  writeFileSync(mapFile, MAP_XML)
  const bulk = {bulk_size: String(options.bulkSize ?? 1000)}
  return {
    source,
    destination,
    reference,
    mapFile,
    config: writeConfig({source, destination, mapFile, options: bulk}),
    referenceConfig: writeConfig({source, destination: reference, mapFile, options: bulk}),
    bigRows,
  }
}

/** The clean, uninterrupted run every other result is compared with (in-process); returns its milliseconds. */
export async function migrateReference(t: ExecutionContext, fixture: ResumeFixture): Promise<number> {
  const result = await migrateData(fixture.referenceConfig)
  if (result.exitCode !== 0) t.fail(`the reference run failed (exit ${result.exitCode}):\n${result.log.lines.join('\n')}`)
  // The reference must be the map's result, not merely some result: spot-check the transforms.
  const [{shifted}] = await fixture.reference.query<{shifted: number}>(`SELECT COUNT(*) AS shifted FROM ${fixture.reference.name}.products r JOIN ${fixture.source.name}.products s USING (entity_id) WHERE r.position = s.position + 5 AND r.status = 1`)
  if (Number(shifted) !== PRODUCT_ROWS) t.fail(`the reference run did not apply the map's transforms to products (${shifted} of ${PRODUCT_ROWS} rows)`)
  return result.seconds * 1000
}

/** Rows of every document together. */
export function totalRows(fixture: ResumeFixture): number {
  return fixture.bigRows + EAV_ROWS + PRODUCT_ROWS + VISIT_ROWS
}

function documentRows(fixture: ResumeFixture): Record<string, number> {
  return {big_orders: fixture.bigRows, eav_values: EAV_ROWS, products: PRODUCT_ROWS, visit_log: VISIT_ROWS}
}

/** The share of all rows (0..1) that the saved progress does not yet cover. */
export async function remainingShare(fixture: ResumeFixture): Promise<number> {
  const rows = documentRows(fixture)
  let covered = 0
  for (const document of DOCUMENTS) {
    const progress = await documentProgress(fixture.destination, document)
    if (progress) covered += progress.done ? rows[document] : progress.rows
  }
  return Math.max(0, 1 - covered / totalRows(fixture))
}

/** A seeded PRNG (mulberry32): the same seed gives the same kill instants. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state)
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296
  }
}

export interface ChildResult {
  /** The exit code; null when a signal ended the process. */
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
  readonly ms: number
}

export interface RunningCli {
  readonly child: ChildProcess
  /** stdout and stderr so far. */
  output(): string
  /** Resolves when stdout or stderr has printed a line matching pattern (or the process ended first: false). */
  printed(pattern: RegExp): Promise<boolean>
  readonly done: Promise<ChildResult>
}

/** Starts `node bin/run.js <args>` from the project root, as an operator would. */
export function startCli(args: readonly string[]): RunningCli {
  const started = Date.now()
  const child = spawn(process.execPath, [join(projectRoot(), 'bin', 'run.js'), ...args], {cwd: projectRoot(), stdio: ['ignore', 'pipe', 'pipe']})
  let stdout = ''
  let stderr = ''
  const waiters: {pattern: RegExp; resolve: (found: boolean) => void}[] = []
  const wake = () => {
    for (const waiter of [...waiters]) {
      if (!waiter.pattern.test(stdout) && !waiter.pattern.test(stderr)) continue
      waiters.splice(waiters.indexOf(waiter), 1)
      waiter.resolve(true)
    }
  }
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
    wake()
  })
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
    wake()
  })
  const done = new Promise<ChildResult>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => {
      for (const waiter of waiters.splice(0)) waiter.resolve(false)
      resolve({code, signal, stdout, stderr, ms: Date.now() - started})
    })
  })
  return {
    child,
    output: () => stdout + stderr,
    printed(pattern) {
      if (pattern.test(stdout) || pattern.test(stderr)) return Promise.resolve(true)
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(false)
      return new Promise((resolve) => waiters.push({pattern, resolve}))
    },
    done,
  }
}

/** Runs `node bin/run.js <args>` to its end. */
export function runCli(args: readonly string[]): Promise<ChildResult> {
  return startCli(args).done
}

/**
 * The progress row of one document of the Map step's data stage, or undefined. A locking read, so
 * that right after a kill it waits for a COMMIT the dead process had already sent.
 */
export async function documentProgress(db: TestDatabase, document: string): Promise<{done: number; lastKey: string | null; rows: number} | undefined> {
  const rows = await db.query<{done: number; last_key: string | null; rows_done: string}>(`SELECT done, last_key, rows_done FROM ${PROGRESS_TABLE} WHERE stage = 'data|Map Step|data' AND document = ? LOCK IN SHARE MODE`, [document]).catch(() => [])
  return rows.length === 0 ? undefined : {done: Number(rows[0].done), lastKey: rows[0].last_key, rows: Number(rows[0].rows_done)}
}

/**
 * Resolves once the saved progress shows `document` in progress with at least `minRows` rows
 * committed (polled), or false if the child ended first.
 */
export async function waitForProgress(db: TestDatabase, running: RunningCli, document: string, minRows: number): Promise<boolean> {
  for (;;) {
    if (running.child.exitCode !== null || running.child.signalCode !== null) return false
    const progress = await documentProgress(db, document)
    if (progress && progress.done === 0 && progress.rows >= minRows) return true
    await new Promise((resolve) => setTimeout(resolve, 15))
  }
}

/** Stops a child at once and waits for its end. */
export async function killNow(running: RunningCli): Promise<ChildResult> {
  running.child.kill('SIGKILL')
  return running.done
}

/** `db.table` quoted. */
function qualified(db: TestDatabase, table: string): string {
  return `\`${db.name}\`.\`${table}\``
}

async function checksum(db: TestDatabase, table: string): Promise<string> {
  const [row] = await db.query<{Checksum: string | number | null}>(`CHECKSUM TABLE ${qualified(db, table)}`)
  return String(row.Checksum)
}

async function count(db: TestDatabase, table: string): Promise<number> {
  const [{n}] = await db.query<{n: number}>(`SELECT COUNT(*) AS n FROM ${qualified(db, table)}`)
  return Number(n)
}

/** Keys present more than once (none when the table's key is enforced; still checked, it is cheap). */
async function duplicateKeys(db: TestDatabase, table: string, key: readonly string[]): Promise<number> {
  const columns = key.map((column) => `\`${column}\``).join(', ')
  const [{n}] = await db.query<{n: number}>(`SELECT COUNT(*) AS n FROM (SELECT ${columns} FROM ${qualified(db, table)} GROUP BY ${columns} HAVING COUNT(*) > 1) d`)
  return Number(n)
}

/** Rows of an unkeyed table as a multiset: each distinct row with its count, in a fixed order. */
async function multiset(db: TestDatabase, table: string): Promise<string> {
  const rows = await db.query<Record<string, unknown>>(`SELECT visitor_id, url, CAST(visited_at AS CHAR) AS visited_at, COUNT(*) AS n FROM ${qualified(db, table)} GROUP BY visitor_id, url, visited_at ORDER BY visitor_id, url, visited_at`)
  return JSON.stringify(rows)
}

/**
 * Asserts that every document of the destination equals the reference: row count, CHECKSUM
 * TABLE, no duplicate keys (keyed documents) and the same multiset of rows (the unkeyed one).
 */
export async function assertSameAsReference(t: ExecutionContext, fixture: ResumeFixture, destination = fixture.destination): Promise<void> {
  for (const table of DOCUMENTS) {
    const key = DOCUMENT_KEYS[table]
    t.is(await count(destination, table), await count(fixture.reference, table), `${table}: row count`)
    t.is(await checksum(destination, table), await checksum(fixture.reference, table), `${table}: CHECKSUM TABLE`)
    if (key) t.is(await duplicateKeys(destination, table, key), 0, `${table}: duplicate keys`)
    else t.is(await multiset(destination, table), await multiset(fixture.reference, table), `${table}: rows as a multiset`)
  }
}

/** Lines of the output that contain text. */
export function linesWith(output: string, text: string | RegExp): string[] {
  return output.split('\n').filter((line) => (typeof text === 'string' ? line.includes(text) : text.test(line)))
}
