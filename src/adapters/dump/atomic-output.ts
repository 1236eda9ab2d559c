/**
 * Outputs that appear only when complete: a file or a folder is written under a temporary name
 * beside its final one (`<name>.partial-<pid>`) and renamed into place by commit(). A run that
 * fails or is interrupted discards it; nothing is ever left half-written at the final path.
 */
import {createWriteStream, type WriteStream} from 'node:fs'
import {finished} from 'node:stream/promises'
import {mkdir, open, readdir, rename, rm, stat} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'
import {MigrationError} from '../../errors.js'

function outputError(path: string, message: string, cause?: unknown, hint?: string): MigrationError {
  return new MigrationError('OUTPUT_FAILED', `${path}: ${message}`, {file: path}, hint ?? 'Check that the folder exists or can be created, is writable, and has room.', cause)
}

export function partialName(path: string): string {
  return join(dirname(path), `${basename(path)}.partial-${process.pid}`)
}

/**
 * Writes text with backpressure: resolves at once when the stream has room, else on 'drain'.
 * A write error is kept by the stream (`errored`) and fails the next write or the end.
 */
export function writeText(stream: WriteStream, text: string): Promise<void> {
  if (stream.errored) return Promise.reject(stream.errored)
  return new Promise((resolve, reject) => {
    if (stream.write(text)) return resolve()
    const drained = () => {
      stream.off('error', failed)
      resolve()
    }
    const failed = (error: Error) => {
      stream.off('drain', drained)
      reject(error)
    }
    stream.once('drain', drained)
    stream.once('error', failed)
  })
}

/** A write stream whose errors never go unhandled: they surface on the next write or at the end. */
export function openWriteStream(path: string, flags = 'w'): Promise<WriteStream> {
  const stream = createWriteStream(path, {flags})
  stream.on('error', () => undefined)
  return new Promise((resolve, reject) => {
    stream.once('open', () => resolve(stream))
    stream.once('error', reject)
  })
}

/** Ends the stream and waits until every byte is handed to the system (or the write failed). */
export async function endStream(stream: WriteStream): Promise<void> {
  if (stream.errored) throw stream.errored
  stream.end()
  await finished(stream)
}

async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/** One output file, written under a temporary name and renamed when complete. */
export class AtomicFile {
  private constructor(readonly path: string, readonly temporary: string, readonly stream: WriteStream) {}

  static async create(path: string): Promise<AtomicFile> {
    const temporary = partialName(path)
    try {
      await mkdir(dirname(path), {recursive: true})
      return new AtomicFile(path, temporary, await openWriteStream(temporary))
    } catch (error) {
      throw outputError(path, `cannot create ${temporary}: ${(error as Error).message}`, error)
    }
  }

  write(text: string): Promise<void> {
    return writeText(this.stream, text)
  }

  /** Closes the file, flushes it to disk and renames it to its final path. */
  async commit(): Promise<void> {
    try {
      await endStream(this.stream)
      await syncFile(this.temporary)
      await rename(this.temporary, this.path)
    } catch (error) {
      await this.discard()
      throw outputError(this.path, `cannot complete the file: ${(error as Error).message}`, error)
    }
  }

  /** Closes and deletes the temporary file. */
  async discard(): Promise<void> {
    this.stream.destroy()
    await rm(this.temporary, {force: true})
  }
}

/** The marker that a folder is a dump (and may be replaced by one). */
const DUMP_MARKER = 'schema.json'

/**
 * One output folder, written under a temporary name and swapped into place when complete. An
 * existing folder at the final path is replaced only when it is empty or a dump (has schema.json):
 * a typo in --out must not delete someone's files.
 */
export class AtomicFolder {
  private constructor(readonly path: string, readonly temporary: string) {}

  static async create(path: string): Promise<AtomicFolder> {
    await checkReplaceable(path)
    const temporary = partialName(path)
    try {
      await rm(temporary, {recursive: true, force: true})
      await mkdir(temporary, {recursive: true})
    } catch (error) {
      throw outputError(path, `cannot create ${temporary}: ${(error as Error).message}`, error)
    }
    return new AtomicFolder(path, temporary)
  }

  /** A path inside the temporary folder. */
  file(name: string): string {
    return join(this.temporary, name)
  }

  async commit(): Promise<void> {
    const previous = `${this.path}.previous-${process.pid}`
    try {
      for (const name of await readdir(this.temporary)) await syncFile(join(this.temporary, name))
      await checkReplaceable(this.path)
      const replacing = await isFolder(this.path)
      if (replacing) await rename(this.path, previous)
      await rename(this.temporary, this.path)
      if (replacing) await rm(previous, {recursive: true, force: true})
    } catch (error) {
      await this.discard()
      if (error instanceof MigrationError) throw error
      throw outputError(this.path, `cannot complete the folder: ${(error as Error).message}`, error)
    }
  }

  async discard(): Promise<void> {
    await rm(this.temporary, {recursive: true, force: true})
  }
}

async function isFolder(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory()
  } catch {
    return false
  }
}

async function checkReplaceable(path: string): Promise<void> {
  let entries: string[]
  try {
    const info = await stat(path)
    if (!info.isDirectory()) throw outputError(path, 'exists and is not a folder', undefined, 'Name a new folder, or an earlier dump folder to replace.')
    entries = await readdir(path)
  } catch (error) {
    if (error instanceof MigrationError) throw error
    return
  }
  if (entries.length > 0 && !entries.includes(DUMP_MARKER)) {
    throw outputError(path, `exists, is not empty and is not a dump (it has no ${DUMP_MARKER}); it is left as it is`, undefined, 'Name a new folder, or an earlier dump folder to replace.')
  }
}
