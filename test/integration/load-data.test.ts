/**
 * LOAD DATA LOCAL INFILE (the writer's default) must refuse exactly what INSERT refuses. LOCAL
 * makes the server skip a refused row with a warning instead of failing: the writer counts the
 * rows loaded and, in strict mode, fails on any warning, so a batch is still all or nothing and
 * the run stops with exit 5 as with INSERT. Each case runs both ways (load_data_local 1 and 0).
 */
import test, {type ExecutionContext} from 'ava'
import {type TestDatabase, withDatabases} from '../helpers/db.js'
import {migrateData, writeConfig, writeMapFile} from '../helpers/migration.js'



const ROWS = 40
/** Pages of 10 rows: the bad row (id 25) falls in the batch (20 .. 30]. */
const BULK = '10'
const BAD_ID = 25

interface Case {
  readonly source: TestDatabase
  readonly destination: TestDatabase
}

/** `notes` with ids 1..ROWS; `prepare` makes one row bad for the destination. */
async function notesCase(t: ExecutionContext, label: string, destinationDdl: string, badValue: string): Promise<Case> {
  const [source, destination] = await withDatabases(t, [`${label}_src`, `${label}_dst`])
  await source.exec('CREATE TABLE notes (id int NOT NULL PRIMARY KEY, code varchar(40), body text) DEFAULT CHARSET=utf8mb4')
  for (let id = 1; id <= ROWS; id++) await source.query('INSERT INTO notes VALUES (?, ?, ?)', [id, `code-${id}`, id === BAD_ID ? badValue : `{"n": ${id}}`])
  await destination.exec(destinationDdl)
  return {source, destination}
}

async function ids(db: TestDatabase): Promise<number[]> {
  return (await db.query<{id: number}>('SELECT id FROM notes ORDER BY id')).map((row) => Number(row.id))
}

const range = (from: number, to: number) => Array.from({length: to - from + 1}, (_, i) => from + i)

for (const loadData of ['1', '0']) {
  const way = loadData === '1' ? 'LOAD DATA' : 'INSERT'

  test(`${way}: a value a CHECK constraint refuses fails its batch whole (exit 5), earlier batches stay`, async (t) => {
    const {source, destination} = await notesCase(t, `ld_check${loadData}`, 'CREATE TABLE notes (id int NOT NULL PRIMARY KEY, code varchar(40), body json) DEFAULT CHARSET=utf8mb4', 'not json')
    const result = await migrateData(writeConfig({source, destination, mapFile: writeMapFile(), options: {bulk_size: BULK, load_data_local: loadData}}))
    t.is(result.exitCode, 5, result.log.lines.join('\n'))
    const errors = result.log.at('ERROR').join('\n')
    t.regex(errors, /notes: batch with keys \(20 \.\. 30\] failed and was rolled back/)
    t.regex(errors, /CONSTRAINT .*body.* failed|4025/)
    t.deepEqual(await ids(destination), range(1, 20))
  })

  test(`${way}: a duplicate key within one batch fails the batch whole, naming the entry`, async (t) => {
    const {source, destination} = await notesCase(t, `ld_dup${loadData}`, 'CREATE TABLE notes (id int NOT NULL PRIMARY KEY, code varchar(40), body text, UNIQUE KEY notes_code (code)) DEFAULT CHARSET=utf8mb4', '{}')
    await source.query('UPDATE notes SET code = ? WHERE id = ?', ['code-24', BAD_ID])
    const result = await migrateData(writeConfig({source, destination, mapFile: writeMapFile(), options: {bulk_size: BULK, load_data_local: loadData}}))
    t.is(result.exitCode, 5, result.log.lines.join('\n'))
    t.regex(result.log.at('ERROR').join('\n'), /Duplicate entry 'code-24' for key 'notes_code'/)
    t.deepEqual(await ids(destination), range(1, 20))
  })

  test(`${way}: with strict_mode, a value too long for its column fails the batch whole`, async (t) => {
    const {source, destination} = await notesCase(t, `ld_strict${loadData}`, 'CREATE TABLE notes (id int NOT NULL PRIMARY KEY, code varchar(40), body varchar(12)) DEFAULT CHARSET=utf8mb4', 'far too long for twelve')
    const result = await migrateData(writeConfig({source, destination, mapFile: writeMapFile(), options: {bulk_size: BULK, load_data_local: loadData, strict_mode: '1'}}))
    t.is(result.exitCode, 5, result.log.lines.join('\n'))
    // INSERT says 1406 Data too long; LOAD DATA, which only warns, 1265 Data truncated.
    t.regex(result.log.at('ERROR').join('\n'), /(Data too long|Data truncated) for column 'body'/)
    t.deepEqual(await ids(destination), range(1, 20))
  })

  test(`${way}: without strict_mode, a value too long is cut with the server's warning logged, and every row arrives`, async (t) => {
    const {source, destination} = await notesCase(t, `ld_lax${loadData}`, 'CREATE TABLE notes (id int NOT NULL PRIMARY KEY, code varchar(40), body varchar(12)) DEFAULT CHARSET=utf8mb4', 'far too long for twelve')
    const result = await migrateData(writeConfig({source, destination, mapFile: writeMapFile(), options: {bulk_size: BULK, load_data_local: loadData}}))
    t.is(result.exitCode, 0, result.log.lines.join('\n'))
    t.regex(result.log.at('WARNING').join('\n'), /notes: .*1265.*Data truncated for column 'body'/)
    t.deepEqual(await ids(destination), range(1, ROWS))
    const [row] = await destination.query<{body: string}>('SELECT body FROM notes WHERE id = ?', [BAD_ID])
    t.is(row.body, 'far too long')
  })
}

/** Words for a utf8mb3 table: 2- and 3-byte characters, and in id 4 a 4-byte one utf8mb3 cannot hold. */
const WORDS = ['Grüße', '€ 100 – “quoted”', 'tab\there\nline \\ back', 'emoji 😀 here', 'ÿ ß µ ©', '']

async function copyWords(t: ExecutionContext, loadData: string): Promise<{hex: string[]; warnings: string[]}> {
  const [source, destination] = await withDatabases(t, [`ld_mb3_${loadData}_src`, `ld_mb3_${loadData}_dst`])
  await source.exec('CREATE TABLE words (id int NOT NULL PRIMARY KEY, word varchar(100), bytes varbinary(20)) DEFAULT CHARSET=utf8mb4')
  for (const [at, word] of WORDS.entries()) await source.query('INSERT INTO words VALUES (?, ?, ?)', [at + 1, word, Buffer.from([at, 0xff, 0x5c])])
  await destination.exec('CREATE TABLE words (id int NOT NULL PRIMARY KEY, word varchar(100), bytes varbinary(20)) DEFAULT CHARSET=utf8mb3')
  // Pages of 2 rows: the first two batches fit utf8mb3, the one with the emoji does not.
  const result = await migrateData(writeConfig({source, destination, mapFile: writeMapFile(), options: {bulk_size: '2', load_data_local: loadData}}))
  t.is(result.exitCode, 0, result.log.lines.join('\n'))
  const rows = await destination.query<{h: string}>('SELECT CONCAT(HEX(word), \'/\', HEX(bytes)) AS h FROM words ORDER BY id')
  return {hex: rows.map((row) => row.h), warnings: result.log.at('WARNING')}
}

test('a utf8mb3 destination receives the same bytes from LOAD DATA as from INSERT, a 4-byte character included', async (t) => {
  const [load, insert] = [await copyWords(t, '1'), await copyWords(t, '0')]
  t.deepEqual(load.hex, insert.hex)
  t.is(load.hex[0], `${Buffer.from('Grüße').toString('hex').toUpperCase()}/00FF5C`)
  t.is(load.hex[2], `${Buffer.from('tab\there\nline \\ back').toString('hex').toUpperCase()}/02FF5C`)
  // The emoji cannot be held: the server says so both ways.
  t.true(load.warnings.some((line) => /Incorrect string value/.test(line)), load.warnings.join('\n'))
  t.true(insert.warnings.some((line) => /Incorrect string value/.test(line)), insert.warnings.join('\n'))
})
