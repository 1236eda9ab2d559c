/**
 * Data fidelity of migrate:data against the real MariaDB: a table holding every MariaDB column
 * type at its edges is copied into an identical table, and the two must agree byte for byte.
 */
import test, {type ExecutionContext} from 'ava'
import {type TestDatabase, withDatabases} from '../helpers/db.js'
import {migrateData, writeConfig, writeMapFile} from '../helpers/migration.js'



/** Zero dates need a sql_mode without NO_ZERO_DATE; strict mode makes any other bad value fail loudly. */
const PERMISSIVE_DATES = "SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION', time_zone = '+00:00'"

const EVERY_TYPE_TABLE = `CREATE TABLE every_type (
  id int unsigned NOT NULL PRIMARY KEY,
  ti tinyint, tiu tinyint unsigned, si smallint, siu smallint unsigned,
  mi mediumint, miu mediumint unsigned, i int, iu int unsigned,
  bi bigint, biu bigint unsigned,
  de decimal(30,10), dw decimal(65,30),
  fl float, db double,
  b1 bit(1), b64 bit(64),
  d date, dt datetime(6), ts timestamp(6) NULL DEFAULT NULL, tm time(6), y year,
  c char(20), vc varchar(200), tt tinytext, tx text, mt mediumtext, lt longtext,
  bn binary(8), vb varbinary(200), tb tinyblob, bl blob, mb mediumblob, lb longblob,
  en enum('', 'small', 'läge'), st set('a', 'b', 'c'),
  js json,
  ge geometry, pt point,
  uu uuid, i6 inet6, i4 inet4
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`

const COLUMNS = 'id, ti, tiu, si, siu, mi, miu, i, iu, bi, biu, de, dw, fl, db, b1, b64, d, dt, ts, tm, y, c, vc, tt, tx, mt, lt, bn, vb, tb, bl, mb, lb, en, st, js, ge, pt, uu, i6, i4'

/** A string with every character the literal writer must escape. */
const ESCAPE_TORTURE = String.raw`'back\\slash "dq" \'sq\' nul\0 nl\n cr\r ctrlz\Z tab\t bs\b %_'`

/** Rows at the edges of every type; ids 1..12 so that bulk_size 3 makes four pages. */
const EVERY_TYPE_ROWS = [
  // Minimum of every type.
  `(1, -128, 0, -32768, 0, -8388608, 0, -2147483648, 0, -9223372036854775808, 0,
    -99999999999999999999.9999999999, -99999999999999999999999999999999999.999999999999999999999999999999,
    -3.4028234e38, -1.7976931348623157e308, b'0', b'0',
    '1000-01-01', '1000-01-01 00:00:00.000000', '1970-01-01 00:00:01.000000', '-838:59:59.000000', 1901,
    'a', 'a', 'a', 'a', 'a', 'a', X'00', X'00', X'00', X'00', X'00', X'00',
    'small', 'a', '[]', ST_GeomFromText('POINT(0 0)'), ST_GeomFromText('POINT(-180 -90)'),
    '00000000-0000-0000-0000-000000000000', '::', '0.0.0.0')`,
  // Maximum of every type.
  `(2, 127, 255, 32767, 65535, 8388607, 16777215, 2147483647, 4294967295, 9223372036854775807, 18446744073709551615,
    99999999999999999999.9999999999, 99999999999999999999999999999999999.999999999999999999999999999999,
    3.4028234e38, 1.7976931348623157e308, b'1', b'1111111111111111111111111111111111111111111111111111111111111111',
    '9999-12-31', '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07.999999', '838:59:59.000000', 2155,
    REPEAT('z', 20), REPEAT('ż', 200), REPEAT('y', 255), REPEAT('x', 1000), REPEAT('w', 70000), REPEAT('v', 300000),
    X'FFFFFFFFFFFFFFFF', REPEAT(X'FF', 200), REPEAT(X'FE', 255), REPEAT(X'FD', 65535), REPEAT(X'FC', 70000), REPEAT(X'FB', 300000),
    'läge', 'a,b,c', '{"a": [1, 2.5, "x\\\\u00e9"], "b": null, "c": {"d": true}}',
    ST_GeomFromText('POLYGON((0 0, 10 0, 10 10, 0 10, 0 0))'), ST_GeomFromText('POINT(180 90)'),
    'ffffffff-ffff-ffff-ffff-ffffffffffff', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', '255.255.255.255')`,
  // NULL in every nullable column.
  `(3, ${new Array(41).fill('NULL').join(', ')})`,
  // Zero and empty in every column: zero dates, '' beside the NULLs of row 3, the enum's '' member.
  `(4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, b'0', b'0',
    '0000-00-00', '0000-00-00 00:00:00', '0000-00-00 00:00:00', '00:00:00', 0,
    '', '', '', '', '', '', '', '', '', '', '', '',
    '', '', '""', NULL, NULL, NULL, NULL, NULL)`,
  // Escapes, 4-byte utf8mb4, invalid UTF-8 in binary columns, NUL and 0xFF bytes.
  `(5, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, 0.0000000001, 0.000000000000000000000000000001, 0.1, 0.1,
    b'1', X'8000000000000001',
    '2024-02-29', '2024-02-29 12:00:00.000001', '2024-03-31 02:30:00.123456', '-12:34:56.789012', 2024,
    '😀𝄞 é', ${ESCAPE_TORTURE}, '𝄞 clef', CONCAT('emoji 😀 ', ${ESCAPE_TORTURE}), '中文 ✓ 😀', '𝌆',
    X'00FF', X'00FF80C328FE', X'C0AF', X'ED9FBFF4908080', X'FFFE0000', X'80',
    'small', 'b', '{"emoji": "😀", "esc": "a\\\\"b"}', ST_GeomFromText('LINESTRING(0 0, 1 1, 2 3)'), ST_GeomFromText('POINT(1.5 -2.25)'),
    '123e4567-e89b-12d3-a456-426614174000', '2001:db8::1', '192.168.0.1')`,
  // Floats whose 6-digit print does not round-trip; decimals at full scale; padding-like text.
  `(6, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, -0.0000000001, 12345678901234567890.123456789012345678901234567890,
    1e-30, 1e-300, b'0', X'0123456789ABCDEF',
    '2000-01-01', '2000-01-01 00:00:00.5', '2000-01-01 00:00:00.5', '25:00:00.5', 2000,
    ' lead', 'trail  ', ' ', '\\t', 'x', 'x', X'0000', X'00', X'20', X'0A0D', X'1A', X'5C27',
    'läge', 'a,c', '{"n": 1.7976931348623157e308}', NULL, NULL, NULL, '::ffff:1.2.3.4', NULL)`,
  // -0.0: the server stores a literal negative zero as 0, so this checks only that 0 stays 0.
  `(7, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 12345678901234567890.1234567890, 0.5,
    -0.0, -0.0, b'1', b'0',
    '1999-12-31', '1999-12-31 23:59:59.999999', '1999-12-31 23:59:59.999999', '-838:59:58.999999', 1999,
    'x', 'x', 'x', 'x', 'x', 'x', X'01', X'01', X'01', X'01', X'01', X'01',
    '', '', 'null', NULL, NULL, NULL, NULL, NULL)`,
  `(8, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3.3, 3.3,
    1.17549435e-38, 4.9406564584124654e-324, b'0', X'7FFFFFFFFFFFFFFF',
    '2038-01-19', '2038-01-19 03:14:08.000000', '2038-01-19 03:14:07.000001', '00:00:00.000001', 2038,
    'x', 'x', 'x', 'x', 'x', 'x', X'02', X'02', X'02', X'02', X'02', X'02',
    'small', 'a,b', '{}', NULL, NULL, NULL, NULL, NULL)`,
  `(9, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4.4, 4.4,
    16777217, 0.30000000000000004, b'1', X'0000000000000001',
    '1970-01-01', '1970-01-01 00:00:00.000000', '1970-01-01 00:00:00.999999', '-00:00:00.000001', 1970,
    'x', 'x', 'x', 'x', 'x', 'x', X'03', X'03', X'03', X'03', X'03', X'03',
    'small', 'c', '[1, 2, 3]', NULL, NULL, NULL, NULL, NULL)`,
  `(10, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5.5, 5.5,
    1.4e-45, 2.2250738585072014e-308, b'0', X'FF00FF00FF00FF00',
    '2024-01-01', '2024-01-01 00:00:00.000000', '2024-01-01 00:00:00.000000', '23:59:59.999999', 2001,
    'x', 'x', 'x', 'x', 'x', 'x', X'04', X'04', X'04', X'04', X'04', X'04',
    'small', 'a', '"text"', NULL, NULL, NULL, NULL, NULL)`,
  `(11, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6.6, 6.6,
    3.14159265358979, 3.141592653589793, b'1', X'00',
    '2024-01-02', '2024-01-02 00:00:00.000000', '2024-01-02 00:00:00.000000', '-00:00:01', 2002,
    'x', 'x', 'x', 'x', 'x', 'x', X'05', X'05', X'05', X'05', X'05', X'05',
    'small', 'b', '1', NULL, NULL, NULL, NULL, NULL)`,
  `(12, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7.7, 7.7,
    -1e-30, -1e-300, b'0', X'01',
    '2024-01-03', '2024-01-03 00:00:00.000000', '2024-01-03 00:00:00.000000', '100:00:00', 2003,
    'x', 'x', 'x', 'x', 'x', 'x', X'06', X'06', X'06', X'06', X'06', X'06',
    'small', 'c', 'true', NULL, NULL, NULL, NULL, NULL)`,
]

interface ColumnInfo {
  COLUMN_NAME: string
  DATA_TYPE: string
}

/**
 * An expression that prints a column's value exactly: floats as the shortest text of their
 * double value (every float is exactly a double), integers and decimals as their text, and every
 * other type as the hex of its bytes (text in its own charset, dates as printed, geometry as WKB).
 */
function exactText(column: ColumnInfo): string {
  const name = '`' + column.COLUMN_NAME.replaceAll('`', '``') + '`'
  if (['float', 'double'].includes(column.DATA_TYPE)) return `CONCAT(CAST(${name} AS DOUBLE))`
  if (['tinyint', 'smallint', 'mediumint', 'int', 'bigint', 'decimal', 'year'].includes(column.DATA_TYPE)) return `CAST(${name} AS CHAR)`
  return `HEX(${name})`
}

/** Every row of a table, each value printed exactly (see exactText), in primary key order. */
async function exactRows(db: TestDatabase, table: string): Promise<Record<string, unknown>[]> {
  const columns = await db.query<ColumnInfo>('SELECT COLUMN_NAME, DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION', [db.name, table])
  const list = columns.map((column) => `${exactText(column)} AS \`${column.COLUMN_NAME}\``).join(', ')
  return db.query(`SELECT ${list} FROM \`${table}\` ORDER BY id`)
}

async function checksum(db: TestDatabase, table: string): Promise<string> {
  const [row] = await db.query<{Checksum: number | string | null}>(`CHECKSUM TABLE \`${table}\``)
  return String(row.Checksum)
}

/** With keyed false, the table has no primary key, so the source reads it in one ordered stream. */
async function createEveryTypeTables(source: TestDatabase, destination: TestDatabase, keyed = true): Promise<void> {
  const ddl = keyed ? EVERY_TYPE_TABLE : EVERY_TYPE_TABLE.replace('NOT NULL PRIMARY KEY', 'NOT NULL')
  await source.exec(`${PERMISSIVE_DATES}; ${ddl}; INSERT INTO every_type (${COLUMNS}) VALUES ${EVERY_TYPE_ROWS.join(',\n')}`)
  await destination.exec(ddl)
}

/**
 * Copies every_type with the given bulk_size and checks rows and checksum against the source.
 * Rows go in with LOAD DATA LOCAL INFILE (the default, the server allowing), or as INSERT
 * statements with `load_data_local` 0.
 */
async function copyAndCompare(t: ExecutionContext, bulkSize: string, keyed = true, loadData = true): Promise<void> {
  const [source, destination] = await withDatabases(t, ['fidelity_src', 'fidelity_dst'])
  await createEveryTypeTables(source, destination, keyed)
  const config = writeConfig({source, destination, mapFile: writeMapFile(), options: {bulk_size: bulkSize, load_data_local: loadData ? '1' : '0'}})

  const result = await migrateData(config)

  t.is(result.exitCode, 0, result.log.lines.join('\n'))
  t.deepEqual(result.log.at('WARNING'), [], 'the server raised no warning on insert')
  t.is(result.rows, EVERY_TYPE_ROWS.length)
  t.deepEqual(await exactRows(destination, 'every_type'), await exactRows(source, 'every_type'))
  t.is(await checksum(destination, 'every_type'), await checksum(source, 'every_type'))
}

test('the every-type source table holds the edge values it is meant to hold', async (t) => {
  const [source, destination] = await withDatabases(t, ['fidelity_probe_src', 'fidelity_probe_dst'])
  await createEveryTypeTables(source, destination)
  const [row] = await source.query<Record<string, string>>(`SELECT CAST(biu AS CHAR) AS biu, CAST(bi AS CHAR) AS bi, HEX(b64) AS b64, CONCAT(CAST(fl AS DOUBLE)) AS fl,
    CONCAT(db) AS db, CAST(d AS CHAR) AS d, CAST(tm AS CHAR) AS tm FROM every_type WHERE id = 2`)
  t.deepEqual(row, {biu: '18446744073709551615', bi: '9223372036854775807', b64: 'FFFFFFFFFFFFFFFF', fl: '3.4028234663852886e38', db: '1.7976931348623157e308', d: '9999-12-31', tm: '838:59:59.000000'})
  const [zero] = await source.query<Record<string, string>>("SELECT CAST(d AS CHAR) AS d, CAST(dt AS CHAR) AS dt, CAST(ts AS CHAR) AS ts, CAST(y AS CHAR) AS y FROM every_type WHERE id = 4")
  t.deepEqual(zero, {d: '0000-00-00', dt: '0000-00-00 00:00:00.000000', ts: '0000-00-00 00:00:00.000000', y: '0000'})
  const [bytes] = await source.query<Record<string, string>>("SELECT HEX(vb) AS vb, HEX(vc) AS vc, HEX(tt) AS tt FROM every_type WHERE id = 5")
  t.is(bytes.vb, '00FF80C328FE')
  t.true(bytes.vc.includes('00') && bytes.vc.includes('1A') && bytes.vc.includes('5C'), 'NUL, Ctrl-Z and backslash are stored')
  t.is(bytes.tt, 'F09D849E20636C6566', 'the 4-byte 𝄞 is stored as 4 bytes')
  const [[nulls], [empties]] = [await source.query<{n: number}>('SELECT COUNT(*) AS n FROM every_type WHERE vc IS NULL'), await source.query<{n: number}>("SELECT COUNT(*) AS n FROM every_type WHERE vc = ''")]
  t.is(Number(nulls.n), 1)
  t.is(Number(empties.n), 1)
})

test('every MariaDB column type copies with an equal CHECKSUM TABLE and byte-equal rows', async (t) => {
  await copyAndCompare(t, '0')
})

test('every MariaDB column type copies unchanged when bulk_size 3 splits it into many pages and batches', async (t) => {
  await copyAndCompare(t, '3')
})

test('every MariaDB column type copies unchanged through the one-stream read of a table without a key', async (t) => {
  await copyAndCompare(t, '3', false)
})

test('every MariaDB column type copies unchanged as INSERT statements (load_data_local 0)', async (t) => {
  await copyAndCompare(t, '0', true, false)
})

test('every MariaDB column type copies unchanged as INSERT statements of bulk_size 3', async (t) => {
  await copyAndCompare(t, '3', true, false)
})

test('rows go in with LOAD DATA by default, and as INSERT statements with load_data_local 0', async (t) => {
  const way = async (loadData: string | undefined) => {
    const [source, destination] = await withDatabases(t, [`fidelity_way${loadData ?? 'd'}_src`, `fidelity_way${loadData ?? 'd'}_dst`])
    await createEveryTypeTables(source, destination)
    const options: Record<string, string> = loadData === undefined ? {} : {load_data_local: loadData}
    const result = await migrateData(writeConfig({source, destination, mapFile: writeMapFile(), options}), {level: 'debug'})
    t.is(result.exitCode, 0, result.log.lines.join('\n'))
    return result.log.lines.filter((line) => line.includes('rows are written')).map((line) => line.replace(/^.*destination: /, ''))
  }
  t.deepEqual(await way(undefined), ['rows are written with LOAD DATA LOCAL INFILE'])
  t.deepEqual(await way('0'), ['rows are written as INSERT statements (load_data_local is off)'])
})

/** Text that needs 2 and 3 bytes in UTF-8 and that both latin1 (cp1252) and utf8mb3 can hold. */
const THREE_BYTE_TEXT = ['café', '€ 100', 'Œuvre — “quoted” ‘single’', 'ÿ ß µ ©', "it's \\ back"]

async function copyTextInto(t: ExecutionContext, charset: string, values: readonly string[]): Promise<{sourceHex: string[]; destinationHex: string[]; warnings: string[]; exitCode: number}> {
  const [source, destination] = await withDatabases(t, [`charset_${charset}_src`, `charset_${charset}_dst`])
  await source.exec('CREATE TABLE words (id int NOT NULL PRIMARY KEY, word varchar(100), note text) DEFAULT CHARSET=utf8mb4')
  for (const [at, value] of values.entries()) await source.query('INSERT INTO words VALUES (?, ?, ?)', [at + 1, value, value])
  await destination.exec(`CREATE TABLE words (id int NOT NULL PRIMARY KEY, word varchar(100), note text) DEFAULT CHARSET=${charset}`)
  const config = writeConfig({source, destination, mapFile: writeMapFile()})
  const result = await migrateData(config)
  const hex = async (db: TestDatabase) => (await db.query<{h: string}>('SELECT HEX(CONVERT(CONCAT(word, 0x7C, note) USING utf8mb4)) AS h FROM words ORDER BY id')).map((row) => row.h)
  return {sourceHex: await hex(source), destinationHex: await hex(destination), warnings: result.log.at('WARNING'), exitCode: result.exitCode}
}

test('a utf8mb3 destination table receives 3-byte text unchanged', async (t) => {
  const copied = await copyTextInto(t, 'utf8mb3', [...THREE_BYTE_TEXT, '中文 ✓ ☃ ﬀ'])
  t.is(copied.exitCode, 0)
  t.deepEqual(copied.warnings, [])
  t.is(copied.destinationHex.length, THREE_BYTE_TEXT.length + 1)
  t.deepEqual(copied.destinationHex, copied.sourceHex)
})

test('a latin1 destination table receives text that latin1 can hold unchanged', async (t) => {
  const copied = await copyTextInto(t, 'latin1', THREE_BYTE_TEXT)
  t.is(copied.exitCode, 0)
  t.deepEqual(copied.warnings, [])
  t.is(copied.destinationHex.length, THREE_BYTE_TEXT.length)
  t.deepEqual(copied.destinationHex, copied.sourceHex)
})

test('a 4-byte character a utf8mb3 destination cannot hold is reported as a server warning, not lost silently', async (t) => {
  const copied = await copyTextInto(t, 'utf8mb3', ['clef 𝄞'])
  t.is(copied.exitCode, 0)
  t.true(copied.warnings.some((line) => line.startsWith('words: the server warned on insert:') && /Incorrect string value/.test(line)), copied.warnings.join('\n'))
})

test('an auto_increment id of 0 (Magento\'s admin store, default website, …) stays 0 and is not renumbered', async (t) => {
  const [source, destination] = await withDatabases(t, ['fidelity_zero_id_src', 'fidelity_zero_id_dst'])
  const table = 'CREATE TABLE store (store_id smallint unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY, code varchar(32) NOT NULL)'
  await source.exec(`SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO'; ${table}; INSERT INTO store VALUES (0, 'admin'), (1, 'default'), (5, 'fifth')`)
  await destination.exec(table)
  const config = writeConfig({source, destination, mapFile: writeMapFile()})

  const result = await migrateData(config)

  t.is(result.exitCode, 0, result.log.lines.join('\n'))
  t.deepEqual(await destination.query('SELECT store_id, code FROM store ORDER BY store_id'), [{store_id: 0, code: 'admin'}, {store_id: 1, code: 'default'}, {store_id: 5, code: 'fifth'}])
})

test('a failing init statement stops the run before any row is copied, naming the statement', async (t) => {
  // Sessions that silently lacked an operator's statement (a charset, a time zone) could copy wrong data.
  const [source, destination] = await withDatabases(t, ['fidelity_init_src', 'fidelity_init_dst'])
  await source.exec("CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t VALUES (1)")
  await destination.exec('CREATE TABLE t (id int PRIMARY KEY)')
  const config = writeConfig({source, destination, mapFile: writeMapFile(), options: {init_statements_source: 'SET NAMES utf8; SET SESSION no_such_variable = 1'}})

  const result = await migrateData(config)

  t.is(result.error?.code, 'DB_CONNECT')
  t.deepEqual(result.log.at('ERROR'), [`source database ${source.params.user}@${source.params.host}:${source.params.port}/${source.name}: the session statement "SET SESSION no_such_variable = 1" failed: ER_UNKNOWN_SYSTEM_VARIABLE: Unknown system variable 'no_such_variable'`])
  t.deepEqual(await destination.query('SELECT id FROM t'), [])
})
