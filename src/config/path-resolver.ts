import {existsSync} from 'node:fs'
import {dirname, isAbsolute, join, resolve} from 'node:path'

/**
 * Resolves a file named in config.xml. Absolute paths are used as given. A relative path is tried
 * against the config file's folder, then against each of its parent folders in turn: the DMT's own
 * config.xml.dist names `etc/opensource-to-opensource/...`, relative to the DMT's module root, so
 * this makes an unchanged DMT etc/ tree work wherever it lies. Returns undefined when no candidate
 * exists; `candidates` lists what was tried, for the error message.
 */
export function resolveNearConfig(value: string, configFile: string): {path?: string; candidates: string[]} {
  if (isAbsolute(value)) return {path: existsSync(value) ? value : undefined, candidates: [value]}
  const candidates: string[] = []
  let folder = dirname(resolve(configFile))
  for (;;) {
    const candidate = join(folder, value)
    candidates.push(candidate)
    if (existsSync(candidate)) return {path: candidate, candidates}
    const parent = dirname(folder)
    if (parent === folder) break
    folder = parent
  }
  const fromCwd = resolve(value)
  if (!candidates.includes(fromCwd)) {
    candidates.push(fromCwd)
    if (existsSync(fromCwd)) return {path: fromCwd, candidates}
  }
  return {candidates}
}

/**
 * A path our own config elements name (a dump folder, a schema file, an output file): absolute
 * paths as given, relative ones against the config file's folder. No search: outputs need not
 * exist yet, and a dump beside config.xml should not be confused with one in a parent folder.
 */
export function resolveAgainstConfig(value: string, configFile: string): string {
  return isAbsolute(value) ? value : resolve(dirname(resolve(configFile)), value)
}
