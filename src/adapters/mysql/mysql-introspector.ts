import {type ColumnSchema, type DatabaseSchema, isBinaryType, isNumericType, type TableSchema} from '../../schema/table-schema.js'
import type {SqlDatabase} from '../sql-port.js'
import {stringLiteral} from './sql-text.js'

function text(value: unknown): string {
  if (value === null || value === undefined) return ''
  return Buffer.isBuffer(value) ? value.toString('utf8') : String(value)
}

/**
 * Reads tables, columns and keys of one database from information_schema, in three queries.
 * With a prefix, only tables whose names start with it are documents, named without it
 * (the DMT's source_prefix / dest_prefix).
 */
export async function introspectMysql(database: SqlDatabase, prefix = ''): Promise<DatabaseSchema> {
  const schema = stringLiteral(database.name)
  const [tables, columns, keys] = await Promise.all([
    database.query(`SELECT TABLE_NAME, AVG_ROW_LENGTH, DATA_LENGTH FROM information_schema.TABLES WHERE TABLE_SCHEMA = ${schema} AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME`),
    database.query(`SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, CHARACTER_SET_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ${schema} ORDER BY TABLE_NAME, ORDINAL_POSITION`),
    database.query(`SELECT TABLE_NAME, INDEX_NAME, COLUMN_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ${schema} AND NON_UNIQUE = 0 ORDER BY TABLE_NAME, INDEX_NAME = 'PRIMARY' DESC, INDEX_NAME, SEQ_IN_INDEX`),
  ])
  const columnsByTable = new Map<string, ColumnSchema[]>()
  for (const [table, name, dataType, columnType, nullable, defaultValue, extra, charset] of columns) {
    const list = columnsByTable.get(text(table)) ?? []
    const type = text(dataType).toLowerCase()
    list.push(Object.freeze({
      name: text(name),
      dataType: type,
      columnType: text(columnType),
      nullable: text(nullable) === 'YES',
      defaultValue: defaultValue === null ? null : text(defaultValue),
      autoIncrement: text(extra).toLowerCase().includes('auto_increment'),
      binary: isBinaryType(type),
      numeric: isNumericType(type),
      ...(charset === null ? {} : {charset: text(charset).toLowerCase()}),
    }))
    columnsByTable.set(text(table), list)
  }
  const keysByTable = new Map<string, Map<string, string[]>>()
  for (const [table, index, column] of keys) {
    const byIndex = keysByTable.get(text(table)) ?? new Map<string, string[]>()
    byIndex.set(text(index), [...(byIndex.get(text(index)) ?? []), text(column)])
    keysByTable.set(text(table), byIndex)
  }
  const result = new Map<string, TableSchema>()
  for (const [rawName, averageRowLength, dataLength] of tables) {
    const physicalName = text(rawName)
    if (prefix && !physicalName.startsWith(prefix)) continue
    const indexes = keysByTable.get(physicalName) ?? new Map<string, string[]>()
    const primaryKey = indexes.get('PRIMARY') ?? []
    const uniqueKeys = [...indexes.entries()].filter(([name]) => name !== 'PRIMARY').map(([, cols]) => Object.freeze(cols))
    const name = physicalName.slice(prefix.length)
    result.set(name, Object.freeze({
      name,
      physicalName,
      columns: Object.freeze(columnsByTable.get(physicalName) ?? []),
      primaryKey: Object.freeze(primaryKey),
      uniqueKeys: Object.freeze(uniqueKeys),
      averageRowLength: Number(text(averageRowLength)) || 0,
      dataBytes: Number(text(dataLength)) || 0,
    }))
  }
  return Object.freeze({documents: Object.freeze([...result.keys()]), tables: result})
}
