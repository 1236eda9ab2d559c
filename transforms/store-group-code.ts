import {createHash} from 'node:crypto'
import {type HandlerDefinition, requireField} from './handler.js'
import {idKey, loadRows, requireLookup, textOf} from './lookup-support.js'

/** The code when a name gives none (only digits or signs, or no name). */
const FALLBACK_CODE = 'store_group'

/**
 * `Main Store` → `main_store`: whitespace runs become `_`, ASCII letters are lowered, anything but
 * a-z, 0-9, `-` and `_` is dropped, and so is whatever precedes the first letter.
 */
export function codeFromName(name: string): string {
  return name
    .replace(/[ \t\n\v\f\r]+/g, '_')
    .replace(/[A-Z]/g, (letter) => letter.toLowerCase())
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[^a-z]+/, '')
}

/**
 * StoreGroupCode: Magento 1 store groups have no code; Magento 2's store_group.code is made from
 * the group's name in the source's core_store_group (loaded once). Names that give the same code
 * get a suffix, `-` and the md5 of the group id, so that codes stay unique.
 */
export const storeGroupCode: HandlerDefinition = {
  name: 'StoreGroupCode',
  params: {},
  async create(setup) {
    const {field, warn} = setup
    const port = requireLookup(setup, 'source', 'the store group names')
    const rows = await loadRows(setup, port, 'the store group names', `SELECT group_id, name FROM ${port.table('core_store_group')} ORDER BY group_id`)
    const codes = new Map<string, string>()
    const taken = new Set<string>()
    for (const [id, name] of rows) {
      const key = idKey(id ?? null)
      if (key === undefined) continue
      let code = codeFromName(textOf(name ?? null) ?? '') || FALLBACK_CODE
      // The DMT suffixes repeated names with a random md5; we suffix repeated codes (two names
      // can give one code, which Magento 2's unique key refuses) with the id's md5, the same on every run.
      if (taken.has(code)) {
        const unique = `${code}-${createHash('md5').update(key).digest('hex')}`
        warn(`duplicated code "${code}" for store group ${key} (name ${JSON.stringify(textOf(name ?? null))}); it becomes "${unique}"`)
        code = unique
      }
      taken.add(code)
      codes.set(key, code)
    }
    return {
      handle(record) {
        requireField(record, field)
        requireField(record, 'group_id')
        const key = idKey(record.get('group_id'))
        record.set(field, (key === undefined ? undefined : codes.get(key)) ?? FALLBACK_CODE)
      },
    }
  },
}
