/**
 * `npm test` entry point: picks a MariaDB server, runs ava against it, and prints
 * `N passed, N failed[, N skipped]` as its very last line (CI reads that line).
 *
 * Which server (first that works):
 *   1. env M2M_TEST_DB_URL=mysql://user:pass@host:port
 *   2. 127.0.0.1:3306 when root with an empty password can log in
 *   3. a private throwaway mariadbd in a temporary folder, on a free port, removed afterwards
 *
 * Arguments are passed to ava (`npm test -- --match 'loads*'`). With `--tap` (or env
 * M2M_TAP=1) ava prints TAP; otherwise its default reporter. Either way the output is
 * echoed unchanged and counted.
 *
 * Switches (env):
 *   M2M_TEST_FORCE_PRIVATE=1  skip 127.0.0.1:3306 and always start a private mariadbd
 *   M2M_MARIADBD=/path        the mariadbd binary to use (default: PATH, then /usr/sbin/mariadbd)
 *   M2M_MARIADB_INSTALL_DB=/path  the mariadb-install-db script (default: next to mariadbd, then PATH)
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import mysql from 'mysql2/promise';
import { findOnPath, isExecutable, parseServerUrl, projectRoot, redactUrl } from '../helpers/db.js';
import type { ServerParams } from '../helpers/db.js';

const LOCAL_URL = 'mysql://root@127.0.0.1:3306';
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;
const AVA_GRACE_MS = 15_000;
const PREFIX = 'm2-migrate tests:';

/** The server the tests run against; stop() is a no-op for servers we did not start. */
interface ChosenServer {
  url: string;
  description: string;
  stop(): Promise<void>;
}

class NoServerError extends Error {}

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

/** Set when the runner receives SIGINT/SIGTERM; startup polls it, ava gets the signal forwarded. */
const interrupt = new AbortController();
let avaChild: ChildProcess | undefined;
let privateServer: PrivateServer | undefined;
let signalsSeen = 0;
/** Every mariadbd the runner started, so a crashing runner can still stop them. */
const serverChildren = new Set<ChildProcess>();

async function main(): Promise<number> {
  installSignalHandlers();
  const avaArgs = process.argv.slice(2);
  let server: ChosenServer;
  try {
    server = await chooseServer();
  } catch (error) {
    if (interrupt.signal.aborted) {
      process.stderr.write(`${PREFIX} interrupted before the tests started\n`);
      return 130;
    }
    if (error instanceof NoServerError) {
      process.stderr.write(`${PREFIX} ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  if (interrupt.signal.aborted) {
    await server.stop();
    process.stderr.write(`${PREFIX} interrupted before the tests started\n`);
    return 130;
  }
  let result: { code: number; counts: Counts };
  try {
    process.stderr.write(`${PREFIX} using ${server.description}\n`);
    result = await runAva(server.url, avaArgs);
  } finally {
    await server.stop();
  }
  process.stdout.write(summaryLine(result.counts) + '\n');
  return result.code;
}

// ---------------------------------------------------------------- choosing a server

async function chooseServer(): Promise<ChosenServer> {
  const configured = process.env.M2M_TEST_DB_URL;
  if (configured !== undefined && configured !== '') return useConfiguredServer(configured);

  let localProblem: string;
  if (process.env.M2M_TEST_FORCE_PRIVATE === '1') {
    localProblem = '127.0.0.1:3306 was skipped (M2M_TEST_FORCE_PRIVATE=1)';
  } else {
    const failure = await probe(parseServerUrl(LOCAL_URL));
    if (failure === undefined) return { url: LOCAL_URL, description: 'MariaDB on 127.0.0.1:3306', stop: async () => {} };
    localProblem = describeLocalFailure(failure);
  }

  try {
    privateServer = await startPrivateServer();
  } catch (error) {
    if (interrupt.signal.aborted) throw error;
    throw new NoServerError(
      `no MariaDB server: ${localProblem} and mariadbd could not be started (${messageOf(error)}). ` +
        'Install one with: apt-get install mariadb-server, or set M2M_TEST_DB_URL=mysql://user:pass@host:port',
    );
  }
  const started = privateServer;
  return {
    url: started.url,
    description: `a private mariadbd on 127.0.0.1:${started.port} (${started.dir})`,
    stop: () => started.stop(),
  };
}

async function useConfiguredServer(url: string): Promise<ChosenServer> {
  let params: ServerParams;
  try {
    params = parseServerUrl(url);
  } catch (error) {
    throw new NoServerError(`M2M_TEST_DB_URL: ${messageOf(error)}`);
  }
  const failure = await probe(params);
  if (failure !== undefined) {
    throw new NoServerError(
      `M2M_TEST_DB_URL=${redactUrl(url)} does not accept connections (${failure.message}). ` +
        'Start that server, fix the URL, or unset M2M_TEST_DB_URL to use 127.0.0.1:3306 or a private mariadbd',
    );
  }
  return { url, description: `M2M_TEST_DB_URL=${redactUrl(url)}`, stop: async () => {} };
}

interface ProbeFailure {
  code: string | undefined;
  message: string;
}

/** Connects and pings; returns undefined on success, else why it failed. */
async function probe(params: ServerParams, timeoutMs = 3000): Promise<ProbeFailure | undefined> {
  let conn: mysql.Connection | undefined;
  try {
    conn = await mysql.createConnection({ ...params, connectTimeout: timeoutMs });
    await conn.ping();
    return undefined;
  } catch (error) {
    const code = (error as { code?: string }).code;
    return { code, message: messageOf(error) || code || 'unknown error' };
  } finally {
    conn?.destroy();
  }
}

function describeLocalFailure(failure: ProbeFailure): string {
  switch (failure.code) {
    case 'ECONNREFUSED':
      return 'nothing answers on 127.0.0.1:3306';
    case 'ER_ACCESS_DENIED_ERROR':
    case 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR':
      return '127.0.0.1:3306 refuses root with an empty password';
    default:
      return `127.0.0.1:3306 did not accept a connection (${failure.message})`;
  }
}

// ---------------------------------------------------------------- the private mariadbd

interface PrivateServer {
  url: string;
  port: number;
  dir: string;
  stop(): Promise<void>;
}

async function startPrivateServer(): Promise<PrivateServer> {
  const mariadbd = findMariadbd();
  const installDb = findInstallDb(mariadbd);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'm2m-test-mariadb-'));
  let child: ChildProcess | undefined;
  const stop = async () => {
    if (child !== undefined) await stopProcess(child);
    await rm(dir, { recursive: true, force: true, maxRetries: 3 });
  };
  try {
    await runInstallDb(installDb, dir);
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      child = spawnMariadbd(mariadbd, dir, port);
      const failure = await waitUntilReady(child, port, dir);
      if (failure === undefined) {
        return { url: `mysql://root@127.0.0.1:${port}`, port, dir, stop };
      }
      await stopProcess(child);
      if (attempt >= 3 || !/address already in use|bind on tcp\/ip port/i.test(failure)) throw new Error(failure);
    }
  } catch (error) {
    await stop();
    throw error;
  }
}

function findMariadbd(): string {
  const override = process.env.M2M_MARIADBD;
  if (override !== undefined && override !== '') {
    if (!isExecutable(override)) throw new Error(`M2M_MARIADBD=${override} is not an executable file`);
    return override;
  }
  const found = findOnPath('mariadbd') ?? (isExecutable('/usr/sbin/mariadbd') ? '/usr/sbin/mariadbd' : undefined);
  if (found === undefined) throw new Error('mariadbd is neither on PATH nor at /usr/sbin/mariadbd');
  return found;
}

function findInstallDb(mariadbd: string): string {
  const override = process.env.M2M_MARIADB_INSTALL_DB;
  if (override !== undefined && override !== '') {
    if (!isExecutable(override)) throw new Error(`M2M_MARIADB_INSTALL_DB=${override} is not an executable file`);
    return override;
  }
  const prefix = path.dirname(path.dirname(mariadbd));
  const candidates = [path.join(prefix, 'bin', 'mariadb-install-db'), path.join(path.dirname(mariadbd), 'mariadb-install-db')];
  const found = candidates.find(isExecutable) ?? findOnPath('mariadb-install-db') ?? findOnPath('mysql_install_db');
  if (found === undefined) throw new Error(`mariadb-install-db was not found next to ${mariadbd} nor on PATH`);
  return found;
}

function runningAsRoot(): boolean {
  return process.getuid?.() === 0;
}

async function runInstallDb(installDb: string, dir: string): Promise<void> {
  const logFile = path.join(dir, 'install-db.log');
  const args = [
    '--no-defaults',
    `--datadir=${path.join(dir, 'data')}`,
    '--auth-root-authentication-method=normal',
    '--skip-test-db',
    '--skip-name-resolve',
    ...(runningAsRoot() ? ['--user=root'] : []),
  ];
  const code = await runToLog(installDb, args, logFile);
  if (code !== 0) {
    throw new Error(`${installDb} exited with ${code}: ${await lastLines(logFile, 3)}`);
  }
}

function spawnMariadbd(mariadbd: string, dir: string, port: number): ChildProcess {
  const args = [
    '--no-defaults',
    `--datadir=${path.join(dir, 'data')}`,
    `--socket=${path.join(dir, 'mariadbd.sock')}`,
    `--pid-file=${path.join(dir, 'mariadbd.pid')}`,
    `--log-error=${path.join(dir, 'mariadbd.err')}`,
    `--tmpdir=${dir}`,
    `--port=${port}`,
    '--bind-address=127.0.0.1',
    '--skip-name-resolve',
    // Same defaults as Debian's packaged server, so both paths behave alike.
    '--character-set-server=utf8mb4',
    '--collation-server=utf8mb4_general_ci',
    // A throwaway server need not survive a power cut.
    '--innodb-flush-log-at-trx-commit=0',
    '--innodb-doublewrite=0',
    ...(runningAsRoot() ? ['--user=root'] : []),
  ];
  const log = openSync(path.join(dir, 'mariadbd.out'), 'a');
  try {
    // detached: a terminal Ctrl-C reaches ava, not the server; the runner stops it itself.
    const child = spawn(mariadbd, args, { stdio: ['ignore', log, log], detached: true });
    serverChildren.add(child);
    return child;
  } finally {
    closeSync(log);
  }
}

/** Polls until the server accepts root; returns undefined when ready, else the reason it is not. */
async function waitUntilReady(child: ChildProcess, port: number, dir: string): Promise<string | undefined> {
  const params = { host: '127.0.0.1', port, user: 'root', password: '' };
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });
  for (;;) {
    if (interrupt.signal.aborted) return 'interrupted';
    if (spawnError !== undefined) return `mariadbd could not be run: ${spawnError.message}`;
    if (hasExited(child)) {
      const tail = await serverLogTail(dir);
      return `mariadbd exited with ${child.exitCode ?? child.signalCode}${tail ? `: ${tail}` : ' and logged nothing'}`;
    }
    const failure = await probe(params, 1000);
    if (failure === undefined) return undefined;
    if (Date.now() > deadline) {
      return `mariadbd did not accept connections within ${READY_TIMEOUT_MS / 1000} s (${failure.message}): ${await serverLogTail(dir)}`;
    }
    await sleep(200);
  }
}

async function serverLogTail(dir: string): Promise<string> {
  const errors = await lastLines(path.join(dir, 'mariadbd.err'), 3, /\[ERROR\]/);
  return errors || (await lastLines(path.join(dir, 'mariadbd.err'), 3)) || (await lastLines(path.join(dir, 'mariadbd.out'), 3));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------- running ava

async function runAva(url: string, args: string[]): Promise<{ code: number; counts: Counts }> {
  const tap = args.includes('--tap') || process.env.M2M_TAP === '1';
  const avaArgs = [...(tap && !args.includes('--tap') ? ['--tap'] : []), ...args];
  if (!tap && process.stdout.isTTY && !avaArgs.some((arg) => /^--(no-)?colou?r/.test(arg))) {
    avaArgs.unshift('--color'); // ava sees a pipe; keep the terminal's colours
  }
  const counter = tap ? new TapCounter() : new DefaultReporterCounter();
  const child = spawn(process.execPath, [avaCliPath(), ...avaArgs], {
    cwd: projectRoot(),
    env: { ...process.env, M2M_TEST_DB_URL: url },
    stdio: ['inherit', 'pipe', 'inherit'],
  });
  avaChild = child;
  const lines = createInterface({ input: child.stdout!, crlfDelay: Infinity });
  lines.on('line', (line) => counter.add(stripVTControlCharacters(line)));
  child.stdout!.on('data', (chunk: Buffer) => process.stdout.write(chunk));
  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  avaChild = undefined;
  const code = exit.code ?? 128 + (os.constants.signals[exit.signal ?? 'SIGTERM'] ?? 15);
  const counts = counter.result();
  if (code !== 0 && counts.failed === 0) counts.failed = 1; // a crash or timeout is a failure
  return { code: code === 0 && counts.failed > 0 ? 1 : code, counts };
}

/** ava's CLI script, from its package.json "bin". */
function avaCliPath(): string {
  let dir = path.dirname(fileURLToPath(import.meta.resolve('ava')));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; bin?: string | Record<string, string> };
      if (pkg.name === 'ava') {
        const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin?.ava;
        if (bin === undefined) throw new Error(`${manifest} declares no "bin" for ava`);
        return path.join(dir, bin);
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('ava is not installed: run npm ci');
    dir = parent;
  }
}

// ---------------------------------------------------------------- counting results

/** Counts TAP lines: `ok N`, `not ok N`, with `# SKIP` / `# TODO` directives. */
class TapCounter {
  private readonly counts: Counts = { passed: 0, failed: 0, skipped: 0 };

  add(line: string): void {
    const result = /^(not )?ok \d+/.exec(line);
    if (result === null) return;
    if (/#\s*(SKIP|TODO)\b[^#]*$/i.test(line)) this.counts.skipped++;
    else if (result[1] !== undefined) this.counts.failed++;
    else this.counts.passed++;
  }

  result(): Counts {
    return { ...this.counts };
  }
}

/**
 * Counts ava's default reporter output: one line per test (`✔`, `✘ [fail]:`, `- [skip]`,
 * `- [todo]`), crash lines (`✘ … exited …`, `✘ 2 tests remaining in …`, `Uncaught
 * exception in …`; tests that never ran count as failed, as in ava's TAP totals), and the closing
 * totals (`3 tests passed`, `1 test failed`, `2 uncaught exceptions`, …). Where both a
 * per-line and a closing count exist the larger wins, so a truncated run still counts.
 */
class DefaultReporterCounter {
  private readonly lines = { pass: 0, known: 0, fail: 0, skip: 0, crash: 0, exception: 0, timeout: 0 };
  private readonly totals = { passed: 0, known: 0, failed: 0, hooks: 0, skipped: 0, todo: 0, exceptions: 0, pending: 0 };

  add(raw: string): void {
    const line = raw.trim();
    if (this.countTotal(line)) return;
    const remaining = /^✘ (\d+) tests? remaining in /.exec(line);
    if (/^✔ \[expected fail\]/.test(line)) this.lines.known++;
    else if (/^✔ /.test(line)) this.lines.pass++;
    else if (/^✘ \[(fail|unexpected pass)\]:/.test(line)) this.lines.fail++;
    else if (/^- \[(skip|todo)\] /.test(line)) this.lines.skip++;
    else if (/^✘ Timed out while running tests/.test(line)) this.lines.timeout++;
    else if (remaining !== null) this.lines.crash += Number(remaining[1]);
    else if (/^✘ /.test(line)) this.lines.crash++;
    else if (/^(Uncaught exception|Unhandled rejection) in /.test(line)) this.lines.exception++;
  }

  result(): Counts {
    const { lines, totals } = this;
    const passed = Math.max(totals.passed, lines.pass) + Math.max(totals.known, lines.known);
    const failedTests = Math.max(totals.failed + totals.hooks, lines.fail);
    const exceptions = Math.max(totals.exceptions, lines.exception);
    const timedOut = Math.max(totals.pending, lines.timeout);
    const skipped = Math.max(totals.skipped + totals.todo, lines.skip);
    return { passed, failed: failedTests + exceptions + timedOut + lines.crash, skipped };
  }

  private countTotal(line: string): boolean {
    const patterns: Array<[RegExp, keyof DefaultReporterCounter['totals']]> = [
      [/^(\d+) tests? passed$/, 'passed'],
      [/^(\d+) known failures?$/, 'known'],
      [/^(\d+) tests? failed$/, 'failed'],
      [/^(\d+) hooks? failed$/, 'hooks'],
      [/^(\d+) tests? skipped$/, 'skipped'],
      [/^(\d+) tests? todo$/, 'todo'],
      [/^(\d+) (uncaught exceptions?|unhandled rejections?)$/, 'exceptions'],
      [/^(\d+) tests? remained pending after a timeout$/, 'pending'],
    ];
    for (const [pattern, key] of patterns) {
      const match = pattern.exec(line);
      if (match !== null) {
        // Uncaught exceptions and unhandled rejections are two lines that add up.
        this.totals[key] = key === 'exceptions' ? this.totals[key] + Number(match[1]) : Number(match[1]);
        return true;
      }
    }
    return false;
  }
}

function summaryLine({ passed, failed, skipped }: Counts): string {
  return `${passed} passed, ${failed} failed` + (skipped > 0 ? `, ${skipped} skipped` : '');
}

// ---------------------------------------------------------------- processes and signals

function installSignalHandlers(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => onSignal());
  }
  // Last resort if the runner itself crashes: do not leave a server running.
  process.on('exit', () => {
    const child = privateServerChild();
    if (child !== undefined) child.kill('SIGTERM');
  });
}

function onSignal(): void {
  signalsSeen++;
  interrupt.abort();
  const child = avaChild;
  if (child === undefined || hasExited(child)) return;
  if (signalsSeen > 1) {
    child.kill('SIGKILL');
    return;
  }
  // ava handles SIGINT by reporting the pending tests and exiting non-zero.
  child.kill('SIGINT');
  setTimeout(() => {
    if (!hasExited(child)) child.kill('SIGKILL');
  }, AVA_GRACE_MS).unref();
}

function privateServerChild(): ChildProcess | undefined {
  return [...serverChildren].find((child) => !hasExited(child));
}

/** SIGTERM, wait up to STOP_TIMEOUT_MS, then SIGKILL. */
async function stopProcess(child: ChildProcess): Promise<void> {
  if (hasExited(child)) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function runToLog(command: string, args: string[], logFile: string): Promise<number> {
  const log = openSync(logFile, 'a');
  try {
    const child = spawn(command, args, { stdio: ['ignore', log, log] });
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code, signal) => resolve(code ?? 128 + (os.constants.signals[signal ?? 'SIGTERM'] ?? 15)));
    });
  } finally {
    closeSync(log);
  }
}

async function lastLines(file: string, count: number, filter?: RegExp): Promise<string> {
  try {
    const lines = (await readFile(file, 'utf8')).split('\n').filter((line) => line.trim() !== '');
    return (filter ? lines.filter((line) => filter.test(line)) : lines).slice(-count).join(' | ');
  } catch {
    return '';
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  async (error: unknown) => {
    process.stderr.write(`${PREFIX} the test runner failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    await privateServer?.stop().catch(() => {});
    process.stdout.write(summaryLine({ passed: 0, failed: 1, skipped: 0 }) + '\n');
    process.exitCode = 1;
  },
);
