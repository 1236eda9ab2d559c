import {readMap} from '../src/config/map-reader.js'
import {MigrationError} from '../src/errors.js'
import {type HandlerDefinition, type HandlerSetup, type LookupPort, requireField} from './handler.js'
import {handlerSubject, loadRows, requireLookup, textOf} from './lookup-support.js'

/** A port's table prefix, read back from how it names the document '' (`prefix_` quoted). */
function prefixOf(setup: HandlerSetup, port: LookupPort, side: string): string {
  const quoted = /^`((?:[^`]|``)*)`$/.exec(port.table(''))
  if (!quoted) throw new MigrationError('HANDLER_FAILED', `${handlerSubject(setup)}: cannot tell the ${side} table prefix from ${JSON.stringify(port.table(''))}`, {document: setup.document, field: setup.field, file: setup.mapFile})
  return quoted[1].replaceAll('``', '`')
}

/**
 * The `source table` → `destination table` pairs the main map implies: every source table that
 * map_file does not ignore, under its destination name and prefix. Pairs that change nothing are
 * left out; the rest keep the order of the sorted table list, since the DMT replaces one pair
 * after another.
 */
async function tableRenames(setup: HandlerSetup): Promise<[string, string][]> {
  const source = requireLookup(setup, 'source', 'the list of source tables')
  const destination = requireLookup(setup, 'destination', 'the destination table prefix')
  const mapFile = setup.resolveOptionFile ? setup.resolveOptionFile('map_file') : setup.mapFile
  const rules = await readMap(mapFile)
  const prefix = prefixOf(setup, source, 'source')
  const tables = (await loadRows(setup, source, 'the list of source tables', 'SHOW TABLES')).map(([name]) => textOf(name ?? null) ?? '')
  const renames: [string, string][] = []
  for (const table of tables.sort()) {
    const document = prefix !== '' && table.startsWith(prefix) ? table.slice(prefix.length) : table
    const target = rules.getDocumentMap(document, 'source')
    if (target === false) continue
    const from = source.table(document)
    const to = destination.table(target)
    if (from !== to) renames.push([from, to])
  }
  return renames
}

/**
 * Rule\ConditionSql: rewrites the table names in a stored SQL condition (e.g.
 * enterprise_reminder_rule.condition_sql) from the source's to the destination's: each
 * backquoted source table becomes its destination name, with the destination prefix. The table
 * list and map_file are read once. A value handler: it writes nothing but its own field.
 */
export const ruleConditionSql: HandlerDefinition = {
  name: 'Rule\\ConditionSql',
  params: {},
  async create(setup) {
    const {field} = setup
    const renames = await tableRenames(setup)
    return {
      handle(record) {
        requireField(record, field)
        let text = textOf(record.get(field))
        // NULL stays NULL (the DMT's PHP turns it into '').
        if (text === undefined) return
        for (const [from, to] of renames) if (text.includes(from)) text = text.split(from).join(to)
        record.set(field, text)
      },
    }
  },
}
