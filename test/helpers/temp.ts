/**
 * Temp folders for tests: each is made under the system's temp folder and removed when the test
 * process (or ava's worker) exits, so test runs do not leave configs, maps and dumps behind.
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

const made: string[] = []

function removeAll(): void {
  for (const folder of made.splice(0)) rmSync(folder, {recursive: true, force: true})
}

/** A fresh folder `m2m-<label>-XXXXXX`, removed when this test process exits. */
export function tempFolder(label: string): string {
  if (made.length === 0) process.once('exit', removeAll)
  const folder = mkdtempSync(join(tmpdir(), `m2m-${label}-`))
  made.push(folder)
  return folder
}
