/**
 * Values keep their exact bytes through the dump format: a table with a column of every MariaDB
 * type, at its edges, is exported to NDJSON, migrated from the dump into an SQL file, and loaded
 * into an identical table; the two must agree byte for byte.
 */
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import test from 'ava'
import {loadSqlFile, type TestDatabase, withDatabases} from '../helpers/db.js'
import {databaseXml, dumpXml, exportSide, sqlFileXml, tempFolder, writeFileConfig} from '../helpers/dumps.js'
import {migrateData} from '../helpers/migration.js'

const TABLE = `CREATE TABLE edge (
  id int unsigned NOT NULL PRIMARY KEY,
  ti tinyint, iu int unsigned, bi bigint, biu bigint unsigned,
  de decimal(30,10), dw decimal(65,30), fl float, db double,
  b1 bit(1), b64 bit(64),
  d date, dt datetime(6), ts timestamp(6) NULL DEFAULT NULL, tm time(6), y year,
  vc varchar(200), tx mediumtext, bn binary(4), vb varbinary(50), bl blob,
  en enum('', 'small', 'läge'), st set('a', 'b', 'c'), js json, pt point, i6 inet6
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`

const ROWS = [
  `(1, -128, 0, -9223372036854775808, 0, -99999999999999999999.9999999999, -99999999999999999999999999999999999.999999999999999999999999999999,
    -3.4028234e38, -1.7976931348623157e308, b'0', b'0', '1000-01-01', '1000-01-01 00:00:00.000000', '1970-01-01 00:00:01.000000',
    '-838:59:59.000000', 1901, 'a', 'a', X'00000000', X'00', X'00', 'small', 'a', '[]', ST_GeomFromText('POINT(-180 -90)'), '::')`,
  `(2, 127, 4294967295, 9223372036854775807, 18446744073709551615, 99999999999999999999.9999999999, 0.000000000000000000000000000001,
    3.4028234e38, 4.9406564584124654e-324, b'1', b'1111111111111111111111111111111111111111111111111111111111111111', '9999-12-31',
    '9999-12-31 23:59:59.999999', '2038-01-19 03:14:07.999999', '838:59:59.000000', 2155, REPEAT('ż', 200), REPEAT('x', 70000),
    X'FFFFFFFF', REPEAT(X'FF', 50), REPEAT(X'FD', 65535), 'läge', 'a,b,c', '{"a": [1, 2.5, "x"], "b": null}', ST_GeomFromText('POINT(180 90)'), 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff')`,
  `(3, ${new Array(25).fill('NULL').join(', ')})`,
  `(4, 0, 0, 0, 0, 0, 0, 0, 0, b'0', b'0', '0000-00-00', '0000-00-00 00:00:00', '0000-00-00 00:00:00', '00:00:00', 0,
    '', '', '', '', '', '', '', '""', NULL, NULL)`,
  `(5, -1, 1, -1, 9007199254740993, 0.0000000001, 12345678901234567890.123456789012345678901234567890, 16777217, 0.30000000000000004,
    b'1', X'8000000000000001', '2024-02-29', '2024-02-29 12:00:00.000001', '2024-03-31 02:30:00.123456', '-12:34:56.789012', 2024,
    CONCAT('😀𝄞 é ', 'back\\\\slash "dq" ''sq'' nul', CHAR(0), ' nl\\n cr\\r ctrlz', CHAR(26), ' tab\\t'), '中文 ✓ 😀',
    X'00FF80C3', X'ED9FBFF4908080', X'C0AF', '', 'b', '{"emoji": "😀"}', ST_GeomFromText('POINT(1.5 -2.25)'), '2001:db8::1')`,
]

/** Every column printed exactly: numbers as text, floats as the shortest text of their double, the rest as hex. */
async function exactRows(db: TestDatabase): Promise<Record<string, unknown>[]> {
  const columns = await db.query<{COLUMN_NAME: string; DATA_TYPE: string}>("SELECT COLUMN_NAME, DATA_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'edge' ORDER BY ORDINAL_POSITION")
  const list = columns.map(({COLUMN_NAME: name, DATA_TYPE: type}) => {
    if (['float', 'double'].includes(type)) return `CONCAT(CAST(\`${name}\` AS DOUBLE)) AS \`${name}\``
    if (['tinyint', 'int', 'bigint', 'decimal', 'year'].includes(type)) return `CAST(\`${name}\` AS CHAR) AS \`${name}\``
    return `HEX(\`${name}\`) AS \`${name}\``
  })
  return db.query(`SELECT ${list.join(', ')} FROM edge ORDER BY id`)
}

test('every column type keeps its exact value through export, the dump, the SQL file and a load', async (t) => {
  const [source, destination, loaded] = await withDatabases(t, ['dumpfid_src', 'dumpfid_dst', 'dumpfid_loaded'])
  await source.exec(`SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION', time_zone = '+00:00'; ${TABLE}; INSERT INTO edge VALUES ${ROWS.join(',\n')}`)
  await destination.exec(TABLE)
  await loaded.exec(TABLE)
  const mapFile = join(tempFolder('dumpfid-map'), 'map.xml')
  writeFileSync(mapFile, '<map><source/><destination/></map>')
  const folder = tempFolder('dumpfid')
  const databaseConfig = writeFileConfig({source: databaseXml(source), destination: databaseXml(destination), mapFile, folder})
  await exportSide(databaseConfig, 'source', join(folder, 'm1'))
  await exportSide(databaseConfig, 'destination', join(folder, 'm2'), true)
  // bulk_size 2: the dump is read in several pages.
  const fileConfig = writeFileConfig({source: dumpXml(join(folder, 'm1')), destination: sqlFileXml(join(folder, 'out.sql'), join(folder, 'm2', 'schema.json')), mapFile, folder: tempFolder('dumpfid-file'), options: {bulk_size: '2'}})
  const run = await migrateData(fileConfig)
  t.is(run.exitCode, 0, run.log.lines.join('\n'))
  t.is(run.rows, ROWS.length)
  await loadSqlFile(loaded, join(folder, 'out.sql'), {via: 'client'})
  t.deepEqual(await exactRows(loaded), await exactRows(source))
  const [[sourceSum], [loadedSum]] = await Promise.all([source.query<{Checksum: string}>('CHECKSUM TABLE edge'), loaded.query<{Checksum: string}>('CHECKSUM TABLE edge')])
  t.is(String(loadedSum.Checksum), String(sourceSum.Checksum))
})

test('export writes integers beyond 2^53 and decimals as JSON strings, bytes as $hex, NULL as null', async (t) => {
  const [source, destination] = await withDatabases(t, ['dumpfid_json_src', 'dumpfid_json_dst'])
  await source.exec(`SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION', time_zone = '+00:00'; ${TABLE}; INSERT INTO edge VALUES ${ROWS.join(',\n')}`)
  const folder = tempFolder('dumpfid-json')
  const config = writeFileConfig({source: databaseXml(source), destination: databaseXml(destination), mapFile: 'unused.xml', folder})
  const result = await exportSide(config, 'source', join(folder, 'm1'))
  t.deepEqual([result.tables, result.rows], [1, ROWS.length])
  const lines = readFileSync(join(folder, 'm1', 'edge.ndjson'), 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>)
  t.is(lines[4].biu, '9007199254740993')
  t.is(lines[1].dw, '0.000000000000000000000000000001')
  t.deepEqual(lines[4].vb, {$hex: 'ed9fbff4908080'})
  t.is(lines[2].vc, null)
  t.is(lines[3].vc, '')
  t.is(lines[3].d, '0000-00-00')
})
