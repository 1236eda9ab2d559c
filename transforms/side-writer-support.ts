/**
 * Shared pieces of the handlers that add rows to other destination documents (Synonym,
 * Rule\NormalizationIds, Gallery\InsertValueToEntity, Sequence). They write through the
 * SideWriter the data stage gives them, so their rows land in the transaction of the batch that
 * caused them; without one (a run that only checks, a caller that forgot it) they cannot work.
 */
import {MigrationError} from '../src/errors.js'
import type {HandlerSetup, SideWriter, Value} from './handler.js'
import {handlerSubject, idKey, loadRows, requireLookup} from './lookup-support.js'

/** The side writer a handler needs; without it the handler cannot write, so create() fails. */
export function requireSideWriter(setup: Pick<HandlerSetup, 'className' | 'document' | 'field' | 'at' | 'mapFile' | 'sideWriter'>, documents: readonly string[]): SideWriter {
  if (setup.sideWriter) return setup.sideWriter
  throw new MigrationError('HANDLER_FAILED', `${handlerSubject(setup)} adds rows to ${documents.join(', ')}, and it was created without a side writer to add them with`, {document: setup.document, field: setup.field, file: setup.mapFile}, 'Create this handler through the Map step\'s data stage, which gives it the side writer of the batch.')
}

/** The config option that names the kind of migration, and its value for Magento Open Source on both sides. */
export const EDITION_OPTION = 'edition_migrate'
export const OPENSOURCE_TO_OPENSOURCE = 'opensource-to-opensource'

/** Whether the run migrates Open Source to Open Source (the DMT compares the option exactly). */
export function isOpensourceToOpensource(setup: Pick<HandlerSetup, 'options'>): boolean {
  return setup.options?.[EDITION_OPTION] === OPENSOURCE_TO_OPENSOURCE
}

/** The column Magento 2 Commerce's content staging links staged entities by (a version row, not the entity). */
export const STAGED_LINK_COLUMN = 'row_id'

/**
 * The column a link table names its entity by: `plain` in an opensource-to-opensource migration
 * (config option edition_migrate), as the DMT decides. Otherwise the DMT links by `row_id`,
 * meaning a destination with content staging; we ask the destination, once, whether the link
 * table has that column (staging gives it one), so a destination without it, or a config that
 * leaves edition_migrate out, links by `plain` instead of failing on a column the table lacks.
 */
export async function linkColumn(setup: HandlerSetup, document: string, plain: string): Promise<string> {
  if (isOpensourceToOpensource(setup)) return plain
  const purpose = `whether ${document} links by ${STAGED_LINK_COLUMN} (content staging)`
  const destination = requireLookup(setup, 'destination', purpose)
  const rows = await loadRows(setup, destination, purpose, `SHOW COLUMNS FROM ${destination.table(document)} LIKE '${STAGED_LINK_COLUMN}'`)
  return rows.length > 0 ? STAGED_LINK_COLUMN : plain
}

/**
 * An id as a value to write: a number when it is an integer JavaScript holds exactly, else its
 * canonical decimal text; undefined when the value is not a whole number at all.
 */
export function integerId(value: Value): number | string | undefined {
  const key = idKey(value)
  if (key === undefined || !/^-?\d+$/.test(key)) return undefined
  const number = Number(key)
  return Number.isSafeInteger(number) ? number : key
}
