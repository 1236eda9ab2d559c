/** The server the bench runs on: its URL, an admin connection, facts worth recording, its pid. */
import {readFileSync} from 'node:fs'
import mysql, {type Connection} from 'mysql2/promise'
import {findOnPath, parseServerUrl, redactUrl, type ServerParams} from '../test/helpers/db.js'

export function benchServerUrl(): string {
  return process.env.M2M_BENCH_DB_URL ?? process.env.M2M_TEST_DB_URL ?? 'mysql://root@127.0.0.1:3306'
}

export interface BenchServer {
  readonly params: ServerParams
  readonly url: string
  readonly conn: Connection
  /** The server process, when it runs on this machine and we may read its pid file. */
  readonly pid?: number
}

export async function openServer(): Promise<BenchServer> {
  const url = benchServerUrl()
  const params = parseServerUrl(url)
  let conn: Connection
  try {
    conn = await mysql.createConnection({...params, multipleStatements: true, charset: 'UTF8MB4_GENERAL_CI', supportBigNumbers: true, bigNumberStrings: true, dateStrings: true})
  } catch (error) {
    throw new Error(`bench server ${redactUrl(url)}: cannot connect (${(error as Error).message}); set M2M_BENCH_DB_URL=mysql://user:pass@host:port`)
  }
  // Checksums print timestamps as stored: the same zone m2-migrate's sessions use.
  await conn.query("SET time_zone = '+00:00'")
  return {params, url, conn, pid: await serverPid(conn, params.host)}
}

/**
 * Every run uses the same m2m_bench_* databases (so --reuse can find a kept source): a second run
 * on the same server would drop them under the first. A named lock, held by the admin connection
 * until the run ends, makes the second run stop at once instead.
 */
export async function claimServer(conn: Connection, url: string): Promise<void> {
  const [[row]] = await conn.query("SELECT GET_LOCK('m2m_bench', 0) AS got") as [Array<{got: number | null}>, unknown]
  if (Number(row.got) !== 1) {
    throw new Error(`bench server ${redactUrl(url)}: another bench run is using it (it holds the lock m2m_bench and the m2m_bench_* databases); wait for it to finish, or point this one at another server with M2M_BENCH_DB_URL`)
  }
}

/** The server's pid from its pid file, when it runs here (for its CPU time). */
async function serverPid(conn: Connection, host: string): Promise<number | undefined> {
  if (!['127.0.0.1', 'localhost', '::1'].includes(host)) return undefined
  try {
    const [[row]] = await conn.query('SELECT @@pid_file AS file, @@datadir AS datadir') as [Array<{file: string; datadir: string}>, unknown]
    const file = row.file.startsWith('/') ? row.file : `${row.datadir}/${row.file}`
    const pid = Number(readFileSync(file, 'utf8').trim())
    return Number.isInteger(pid) && pid > 0 ? pid : undefined
  } catch {
    return undefined
  }
}

/** Settings that decide how fast a server writes; recorded with every result. */
export async function serverFacts(conn: Connection): Promise<Record<string, string>> {
  const names = ['version', 'innodb_buffer_pool_size', 'innodb_log_file_size', 'innodb_flush_log_at_trx_commit', 'innodb_doublewrite', 'innodb_flush_method', 'log_bin', 'max_allowed_packet']
  const [[row]] = await conn.query(`SELECT ${names.map((name) => `@@${name} AS ${name}`).join(', ')}`) as [Array<Record<string, unknown>>, unknown]
  return Object.fromEntries(names.map((name) => [name, String(row[name])]))
}

/** The dump and client programs for method (b): MariaDB's names first, then MySQL's. */
export function dumpTools(): {dump: string; client: string} | undefined {
  const dump = findOnPath('mariadb-dump') ?? findOnPath('mysqldump')
  const client = findOnPath('mariadb') ?? findOnPath('mysql')
  return dump && client ? {dump, client} : undefined
}

/** Arguments that point a mariadb/mysql program at the server (the password goes in MYSQL_PWD). */
export function clientArgs(params: ServerParams): string[] {
  return [`--host=${params.host}`, `--port=${params.port}`, `--user=${params.user}`, '--protocol=TCP']
}

export function quoteId(name: string): string {
  return '`' + name.replaceAll('`', '``') + '`'
}
