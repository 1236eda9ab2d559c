/**
 * The contract every value handler keeps, whether it ships in transforms/ or is the operator's own
 * module. A handler is created once per document (lookups are loaded then, never per row) and then
 * called once per record with a view of the record it handles and of the opposite record.
 */
import type {Dropped, Value} from '../src/pipeline/row.js'

export type {Value}

/** A named view of one record (a source or destination row). Views are reused between rows. */
export interface RecordView {
  readonly document: string
  /** The field's value; fails with "<field> field not found in the record." for a field the document lacks. */
  get(field: string): Value
  set(field: string, value: Value): void
  /** Whether the document has this field. */
  has(field: string): boolean
}

/** A read-only SQL lookup, for handlers that load reference data once. Rows are arrays. */
export interface LookupPort {
  query(sql: string): Promise<Value[][]>
  /** A document's table name, prefix included, quoted for SQL: `table('core_config_data')`. */
  table(document: string): string
}

/**
 * Rows a handler adds to another destination document (search_synonyms, catalogrule_website,
 * the media gallery link table, …). They are written in the same transaction as the batch of the
 * record that caused them, so a crash never leaves one without the other.
 */
export interface SideWriter {
  add(document: string, row: Readonly<Record<string, Value>>): void
}

export interface HandlerSetup {
  /** The class as the map wrote it. */
  readonly className: string
  readonly document: string
  readonly field: string
  readonly side: 'source' | 'destination'
  readonly params: Readonly<Record<string, string>>
  /** The map file, and where in it this handler was named. */
  readonly mapFile: string
  readonly at: string
  /** Lookups into the source and destination databases, when the run has them. */
  readonly source?: LookupPort
  readonly destination?: LookupPort
  /** Logs a warning with the document and field already named. */
  readonly warn: (message: string) => void
  /** The config's <options>, e.g. `crypt_key`, `edition_migrate` (absent when no config is loaded). */
  readonly options?: Readonly<Record<string, string>>
  /** A file named by a config option (e.g. `class_map`), resolved as config.xml's files are. */
  readonly resolveOptionFile?: (option: string) => string
  /** The key columns of the handled document on this side (for naming a record in warnings). */
  readonly recordKey?: readonly string[]
  /** Where rows for other destination documents go (present in data stages). */
  readonly sideWriter?: SideWriter
}

export interface Handler {
  /** Changes `record` (and possibly `opposite`) in place; returns DROP to drop the record. */
  handle(record: RecordView, opposite: RecordView): void | Dropped
}

export interface HandlerParam {
  readonly required: boolean
  readonly description: string
}

export interface HandlerDefinition {
  /** Canonical name, without `\Migration\Handler\`: `SetValue`, `SerializeToJson\ItemOption`. */
  readonly name: string
  readonly params: Readonly<Record<string, HandlerParam>>
  /** Fields of the opposite record this handler may set (they are then written too). */
  writesOpposite?(setup: HandlerSetup): readonly string[]
  /** Destination documents this handler adds rows to through `sideWriter`; they are emptied with the document. */
  sideDocuments?(setup: HandlerSetup): readonly string[]
  create(setup: HandlerSetup): Handler | Promise<Handler>
}

/** Fails like the DMT's handlers when the record lacks the field. */
export function requireField(record: RecordView, field: string): void {
  if (!record.has(field)) throw new Error(`${field} field not found in the record.`)
}
