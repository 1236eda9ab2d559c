/**
 * Database helpers for ava tests. Every test gets databases of its own on the
 * server chosen by test/harness/run-tests.ts (env M2M_TEST_DB_URL), so test files
 * can run in parallel without seeing each other's tables.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, createReadStream, existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExecutionContext } from 'ava';
import mysql from 'mysql2/promise';
import type { Connection } from 'mysql2/promise';

/** Where a MariaDB server is reached; password is '' when the URL has none. */
export interface ServerParams {
  host: string;
  port: number;
  user: string;
  password: string;
}

/** ServerParams plus the database the connection should use. */
export interface DatabaseParams extends ServerParams {
  name: string;
}

export interface TestDatabase {
  /** The database's name, `m2m_t_<label>_<pid>_<hex>`. */
  readonly name: string;
  /** Everything needed to open more connections or pools to this database. */
  readonly params: DatabaseParams;
  /** A connection using this database, with multipleStatements enabled. */
  readonly conn: Connection;
  /** Runs one or more statements, discarding results. */
  exec(sql: string): Promise<void>;
  /** Runs one statement and returns its rows. */
  query<T = Record<string, unknown>>(sql: string, values?: unknown[]): Promise<T[]>;
  /** Drops the database and closes the connection. Safe to call more than once. */
  drop(): Promise<void>;
}

export interface LoadSqlFileOptions {
  /** Run `SET SESSION innodb_strict_mode=0;` first (needed for ROW_FORMAT=FIXED). Default false. */
  strictModeOff?: boolean;
  /**
   * How the file is sent: 'client' pipes it into the `mariadb` command-line client,
   * 'connection' sends it over db.conn as one multi-statement query, 'auto' (the default)
   * uses the client when it is installed and the connection otherwise.
   */
  via?: 'auto' | 'client' | 'connection';
}

const DEFAULT_URL = 'mysql://root@127.0.0.1:3306';
const MAX_NAME_LENGTH = 64;

/** The server URL tests use: env M2M_TEST_DB_URL, else root on 127.0.0.1:3306. */
export function testServerUrl(): string {
  return process.env.M2M_TEST_DB_URL ?? DEFAULT_URL;
}

/** The host, port, user and password of the test server. */
export function serverParams(): ServerParams {
  return parseServerUrl(testServerUrl());
}

/** Parses `mysql://user:pass@host:port` (user, pass and port optional). */
export function parseServerUrl(url: string): ServerParams {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`Invalid database URL "${url}": expected mysql://user:pass@host:port`);
  }
  if (parsed.protocol !== 'mysql:' && parsed.protocol !== 'mariadb:') {
    throw new Error(`Invalid database URL "${url}": the scheme must be mysql://`);
  }
  return {
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1',
    port: parsed.port === '' ? 3306 : Number(parsed.port),
    user: decodeURIComponent(parsed.username) || 'root',
    password: decodeURIComponent(parsed.password),
  };
}

/** The URL with its password replaced by ***, for messages. */
export function redactUrl(url: string): string {
  return url.replace(/^(\w+:\/\/[^:@/]*:)[^@]*@/, '$1***@');
}

/** Creates an empty utf8mb4 database with a unique name and connects to it. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const server = serverParams();
  const name = uniqueDatabaseName(label);
  const admin = await mysql.createConnection(server);
  try {
    await admin.query(`CREATE DATABASE ${quoteId(name)} CHARACTER SET utf8mb4`);
  } finally {
    await admin.end();
  }
  const params: DatabaseParams = { ...server, name };
  let conn: Connection;
  try {
    conn = await mysql.createConnection({ ...server, database: name, multipleStatements: true });
  } catch (error) {
    await dropDatabase(server, name, undefined);
    throw error;
  }
  return makeTestDatabase(params, conn);
}

/** Creates one database per label and drops each when the test ends. */
export async function withDatabases(t: ExecutionContext, labels: string[]): Promise<TestDatabase[]> {
  const databases: TestDatabase[] = [];
  for (const label of labels) {
    const db = await createTestDatabase(label);
    t.teardown(() => db.drop());
    databases.push(db);
  }
  return databases;
}

/**
 * Loads a .sql dump (any size, many statements) into db. Rejects with an error that
 * names the file and carries the server's message (with its line number when the
 * mariadb client is used).
 */
export async function loadSqlFile(db: TestDatabase, file: string, opts: LoadSqlFileOptions = {}): Promise<void> {
  const prefix = opts.strictModeOff ? 'SET SESSION innodb_strict_mode=0;\n' : '';
  const via = opts.via ?? 'auto';
  const client = via === 'connection' ? undefined : findMariadbClient();
  if (via === 'client' && client === undefined) {
    throw new Error('loadSqlFile: the mariadb client is not installed (apt-get install mariadb-client)');
  }
  if (!existsSync(file)) {
    throw new Error(`loadSqlFile: ${file} does not exist`);
  }
  try {
    if (client !== undefined) {
      await loadWithClient(client, db.params, file, prefix);
    } else {
      await loadWithConnection(db.conn, file, prefix);
    }
  } catch (error) {
    throw new Error(`loadSqlFile: ${file} did not load into ${db.name}: ${messageOf(error)}`, { cause: error });
  }
}

/** The folder holding package.json (the project root), found from this file's location. */
export function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(`No package.json above ${fileURLToPath(import.meta.url)}`);
    }
    dir = parent;
  }
  return dir;
}

/** A path inside ../shared/reference/ next to the project root. */
export function referencePath(...parts: string[]): string {
  return path.resolve(projectRoot(), '..', 'shared', 'reference', ...parts);
}

/** The absolute path of an executable found on PATH, or undefined. */
export function findOnPath(command: string, searchPath = process.env.PATH ?? ''): string | undefined {
  for (const dir of searchPath.split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, command);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** True when file exists and may be executed. */
export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function makeTestDatabase(params: DatabaseParams, conn: Connection): TestDatabase {
  let dropping: Promise<void> | undefined;
  return {
    name: params.name,
    params,
    conn,
    async exec(sql) {
      await conn.query(sql);
    },
    async query<T>(sql: string, values?: unknown[]) {
      const [rows] = await conn.query(sql, values);
      return rows as T[];
    },
    drop() {
      dropping ??= dropDatabase(params, params.name, conn);
      return dropping;
    },
  };
}

/** Drops over conn when it still works, else over a fresh connection; always closes conn. */
async function dropDatabase(server: ServerParams, name: string, conn: Connection | undefined): Promise<void> {
  const sql = `DROP DATABASE IF EXISTS ${quoteId(name)}`;
  try {
    if (conn === undefined) throw new Error('no connection');
    await conn.query(sql);
  } catch {
    const admin = await mysql.createConnection({ host: server.host, port: server.port, user: server.user, password: server.password });
    try {
      await admin.query(sql);
    } finally {
      await admin.end();
    }
  } finally {
    if (conn !== undefined) await closeQuietly(conn);
  }
}

async function closeQuietly(conn: Connection): Promise<void> {
  try {
    await conn.end();
  } catch {
    conn.destroy();
  }
}

function uniqueDatabaseName(label: string): string {
  const suffix = `_${process.pid}_${randomBytes(4).toString('hex')}`;
  const room = MAX_NAME_LENGTH - 'm2m_t_'.length - suffix.length;
  const clean = label.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, room) || 'db';
  return `m2m_t_${clean}${suffix}`;
}

function quoteId(name: string): string {
  return '`' + name.replace(/`/g, '``') + '`';
}

function findMariadbClient(): string | undefined {
  return findOnPath('mariadb') ?? findOnPath('mysql');
}

async function loadWithConnection(conn: Connection, file: string, prefix: string): Promise<void> {
  const sql = prefix + (await readFile(file, 'utf8'));
  await conn.query(sql);
}

function loadWithClient(client: string, params: DatabaseParams, file: string, prefix: string): Promise<void> {
  const args = [
    '--no-defaults',
    '--batch',
    '--protocol=TCP',
    `--host=${params.host}`,
    `--port=${params.port}`,
    `--user=${params.user}`,
    '--max-allowed-packet=256M',
    params.name,
  ];
  // MYSQL_PWD keeps the password out of the process list.
  const env = { ...process.env, MYSQL_PWD: params.password };
  return new Promise((resolve, reject) => {
    const child = spawn(client, args, { env, stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
    });
    // The client may exit early (syntax error) and close stdin; the exit code reports it.
    child.stdin.on('error', () => {});
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) return resolve();
      const detail = stderr.trim() || (signal ? `killed by ${signal}` : `exit code ${code}`);
      reject(new Error(detail));
    });
    child.stdin.write(prefix);
    const input = createReadStream(file);
    input.on('error', (error) => {
      child.kill();
      reject(error);
    });
    input.pipe(child.stdin);
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
