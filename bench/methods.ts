/**
 * The ways the bench copies the same source: (a) the server's own INSERT … SELECT, (b) a
 * dump piped into the client, (c) m2-migrate with a transforming map, (d) m2-migrate as a
 * straight copy, with direct_document_copy on and off. Each gets an empty destination database
 * of its own, with the tables in the shape it writes.
 */
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {databaseXml, mapStepConfigXml} from '../test/helpers/config-xml.js'
import {findOnPath} from '../test/helpers/db.js'
import {type BenchServer, clientArgs, dumpTools, quoteId} from './bench-server.js'
import {BENCH_TABLES, CMS_PAGE, EAV_VARCHAR, SALES_ITEM} from './generate-data.js'
import {measureServerWork, type Measurement, runChild} from './measure.js'
import {columnsOf, type Expectation} from './verify.js'

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url))

export interface BenchContext {
  readonly server: BenchServer
  readonly sourceDb: string
  /** Folder for config.xml and map files. */
  readonly workDir: string
  /** Whether our build has the SerializeToJson handler. */
  readonly serializeToJson: boolean
  /** m2-migrate's entry point (bin/run.js of this clone, or --bin for an A/B run of another build). */
  readonly bin: string
  /** Where --cpu-prof writes profiles of the methods that are profiled; undefined = no profiling. */
  readonly profileDir?: string
}

export interface Method {
  readonly id: string
  readonly label: string
  /** Methods that run m2-migrate (a child node process): the ones profiled with --profile. */
  readonly profiled?: boolean
  /** Why the method cannot run here, if it cannot. */
  unavailable?(): string | undefined
  /** Creates the destination tables in `destinationDb` (which exists and is empty). */
  prepare(context: BenchContext, destinationDb: string): Promise<void>
  run(context: BenchContext, destinationDb: string): Promise<Measurement>
  expectations(context: BenchContext): Promise<Expectation[]>
}

async function createLikeSource(context: BenchContext, destinationDb: string): Promise<void> {
  for (const table of BENCH_TABLES) {
    await context.server.conn.query(`CREATE TABLE ${quoteId(destinationDb)}.${quoteId(table.name)} LIKE ${quoteId(context.sourceDb)}.${quoteId(table.name)}`)
  }
}

/** Every table under its own name, every column checksummed. */
async function straightCopy(context: BenchContext): Promise<Expectation[]> {
  return Promise.all(BENCH_TABLES.map(async (table) => ({
    source: table.name,
    destination: table.name,
    same: (await columnsOf(context.server.conn, context.sourceDb, table.name)).map((column) => [column, column] as const),
  })))
}

const serverCopy: Method = {
  id: 'a',
  label: '(a) INSERT … SELECT on the server',
  prepare: createLikeSource,
  run: (context, destinationDb) => measureServerWork(async () => {
    for (const table of BENCH_TABLES) {
      await context.server.conn.query(`INSERT INTO ${quoteId(destinationDb)}.${quoteId(table.name)} SELECT * FROM ${quoteId(context.sourceDb)}.${quoteId(table.name)}`)
    }
  }, context.server.pid),
  expectations: straightCopy,
}

function shellQuote(word: string): string {
  return `'${word.replaceAll('\'', '\'\\\'\'')}'`
}

const dumpPipe: Method = {
  id: 'b',
  label: '(b) mariadb-dump | mariadb',
  unavailable: () => (dumpTools() ? undefined : 'neither mariadb-dump/mariadb nor mysqldump/mysql is on PATH'),
  prepare: createLikeSource,
  run(context, destinationDb) {
    const tools = dumpTools()!
    const connection = clientArgs(context.server.params)
    const dump = [tools.dump, '--single-transaction', '--skip-lock-tables', ...connection, context.sourceDb, ...BENCH_TABLES.map((table) => table.name)]
    const load = [tools.client, ...connection, destinationDb]
    const pipeline = `${dump.map(shellQuote).join(' ')} | ${load.map(shellQuote).join(' ')}`
    const bash = findOnPath('bash')
    const [shell, script] = bash ? [bash, `set -o pipefail; ${pipeline}`] : ['/bin/sh', pipeline]
    return runChild(shell, ['-c', script], {env: {...process.env, MYSQL_PWD: context.server.params.password}, serverPid: context.server.pid})
  },
  expectations: straightCopy,
}

function configXml(context: BenchContext, destinationDb: string, mapFile: string, directCopy: boolean): string {
  const server = context.server.params
  return mapStepConfigXml({
    source: databaseXml({...server, name: context.sourceDb}),
    destination: databaseXml({...server, name: destinationDb}),
    options: {map_file: mapFile, bulk_size: '0', direct_document_copy: directCopy ? '1' : '0'},
  })
}

/** The node flags of an entry's `#!/usr/bin/env -S node <flags>` line: how `npx m2-migrate` runs it. */
export function shebangFlags(entry: string): string[] {
  const first = readFileSync(entry, 'utf8').split('\n', 1)[0] ?? ''
  const match = /^#!\S*env -S node(?<flags>( +\S+)*)\s*$/.exec(first)
  return match?.groups?.flags?.trim().split(/ +/).filter(Boolean) ?? []
}

/** Runs `node <its shebang's flags> bin/run.js migrate:data <config> -q` as a child, profiled when asked. */
function runMigrate(context: BenchContext, method: Method, destinationDb: string, map: string, directCopy: boolean): Promise<Measurement> {
  const mapFile = join(context.workDir, `${method.id}-map.xml`)
  const configFile = join(context.workDir, `${method.id}-config.xml`)
  writeFileSync(mapFile, map)
  writeFileSync(configFile, configXml(context, destinationDb, mapFile, directCopy))
  const profile = context.profileDir && method.profiled ? ['--cpu-prof', `--cpu-prof-dir=${context.profileDir}`, `--cpu-prof-name=${method.id}.cpuprofile`] : []
  return runChild(process.execPath, [...shebangFlags(context.bin), ...profile, context.bin, 'migrate:data', configFile, '-q'], {cwd: PROJECT_ROOT, serverPid: context.server.pid})
}

/**
 * The map of (c): Magento 1 to 2 as the DMT's map does it for these tables: a renamed document,
 * a moved field, a dropped field, a value set on a field Magento 2 added, and product_options
 * from PHP-serialized to JSON (broken data stops the run, so the check below is meaningful).
 */
function transformingMap(serializeToJson: boolean): string {
  const serialize = serializeToJson
    ? `            <transform>
                <field>sales_flat_order_item.product_options</field>
                <handler class="\\Migration\\Handler\\SerializeToJson"><param name="migrateBrokenData" value="false"/></handler>
            </transform>\n`
    : ''
  return `<?xml version="1.0" encoding="UTF-8"?>
<map>
    <source>
        <document_rules>
            <rename><document>${SALES_ITEM.name}</document><to>${SALES_ITEM.m2Name}</to></rename>
        </document_rules>
        <field_rules>
            <ignore><field>${EAV_VARCHAR.name}.entity_type_id</field></ignore>
            <move><field>${CMS_PAGE.name}.root_template</field><to>${CMS_PAGE.m2Name}.page_layout</to></move>
${serialize}        </field_rules>
    </source>
    <destination>
        <document_rules/>
        <field_rules>
            <ignore><field>${SALES_ITEM.m2Name}.free_shipping</field></ignore>
            <transform>
                <field>${SALES_ITEM.m2Name}.free_shipping</field>
                <handler class="\\Migration\\Handler\\SetValue"><param name="value" value="0"/></handler>
            </transform>
        </field_rules>
    </destination>
</map>
`
}

/**
 * (c): every table streamed through our process (direct_document_copy off, the DMT's default).
 * (c-direct): the same map with direct_document_copy on, as an operator whose two databases share
 * a server would run it: tables the map only renames, moves or drops columns of are copied by the
 * server, and only the table with handlers streams through our process.
 */
const transformingMethod = (id: string, directCopy: boolean): Method => ({
  id,
  label: `(${id}) m2-migrate, transforming map${directCopy ? ', direct_document_copy on' : ''}`,
  profiled: !directCopy,
  async prepare(context, destinationDb) {
    for (const table of BENCH_TABLES) await context.server.conn.query(`USE ${quoteId(destinationDb)}; ${table.m2}`)
  },
  run(context, destinationDb) {
    return runMigrate(context, this, destinationDb, transformingMap(context.serializeToJson), directCopy)
  },
  async expectations(context) {
    const columns = async (table: string) => columnsOf(context.server.conn, context.sourceDb, table)
    const sales = `${SALES_ITEM.m2Name}`
    const nullOptions = (db: string, table: string) => `(SELECT COUNT(*) FROM ${quoteId(db)}.${quoteId(table)} WHERE product_options IS NULL)`
    return [
      {
        source: SALES_ITEM.name,
        destination: sales,
        same: (await columns(SALES_ITEM.name)).filter((column) => !context.serializeToJson || column !== 'product_options').map((column) => [column, column] as const),
        wrong: [
          {what: 'without free_shipping = 0', sql: (db) => `SELECT COUNT(*) AS n FROM ${quoteId(db)}.${quoteId(sales)} WHERE free_shipping IS NULL OR free_shipping <> 0`},
          ...(context.serializeToJson
            ? [
              {what: 'with product_options that are not JSON', sql: (db: string) => `SELECT COUNT(*) AS n FROM ${quoteId(db)}.${quoteId(sales)} WHERE product_options IS NOT NULL AND NOT JSON_VALID(product_options)`},
              {what: 'more or fewer with product_options NULL than the source', sql: (db: string) => `SELECT ABS(${nullOptions(db, sales)} - ${nullOptions(context.sourceDb, SALES_ITEM.name)}) AS n`},
            ]
            : []),
        ],
      },
      {
        source: EAV_VARCHAR.name,
        destination: EAV_VARCHAR.m2Name,
        same: (await columns(EAV_VARCHAR.name)).filter((column) => column !== 'entity_type_id').map((column) => [column, column] as const),
      },
      {
        source: CMS_PAGE.name,
        destination: CMS_PAGE.m2Name,
        same: (await columns(CMS_PAGE.name)).map((column) => [column, column === 'root_template' ? 'page_layout' : column] as const),
      },
    ]
  },
})

const EMPTY_MAP = `<?xml version="1.0" encoding="UTF-8"?>
<map>
    <source><document_rules/><field_rules/></source>
    <destination><document_rules/><field_rules/></destination>
</map>
`

function straightMigrate(id: string, directCopy: boolean): Method {
  return {
    id,
    label: `(d) m2-migrate, straight copy, direct_document_copy ${directCopy ? 'on' : 'off'}`,
    profiled: !directCopy,
    prepare: createLikeSource,
    run(context, destinationDb) {
      return runMigrate(context, this, destinationDb, EMPTY_MAP, directCopy)
    },
    expectations: straightCopy,
  }
}

export const METHODS: readonly Method[] = [serverCopy, dumpPipe, transformingMethod('c', false), transformingMethod('c-direct', true), straightMigrate('d-direct', true), straightMigrate('d-stream', false)]

/** `--only a,c,d`: ids, or a prefix that names several (`d` = both straight copies). */
export function selectMethods(only: string | undefined): Method[] {
  if (!only) return [...METHODS]
  const wanted = only.split(',').map((part) => part.trim()).filter(Boolean)
  const unknown = wanted.filter((id) => !METHODS.some((method) => method.id === id || method.id.startsWith(`${id}-`)))
  if (unknown.length > 0) throw new Error(`--only ${only}: unknown method ${unknown.join(', ')}; the methods are ${METHODS.map((method) => method.id).join(', ')} (d = both d-*)`)
  return METHODS.filter((method) => wanted.some((id) => method.id === id || method.id.startsWith(`${id}-`)))
}
