/**
 * The rules of one map.xml, as a pure lookup object (no I/O). Semantics follow the Data Migration
 * Tool's map reader: document ignores may use `*` (any run of characters, anchored at the start
 * only); fields take no wildcards; a rename or move answers both ways (source name → destination
 * name for the source side, destination name → source name for the destination side).
 */
export type Side = 'source' | 'destination'

export interface HandlerConfig {
  /** The handler class as written in the map, e.g. `\Migration\Handler\SetValue`. */
  readonly className: string
  /** Params by name, in file order. */
  readonly params: Readonly<Record<string, string>>
  readonly document: string
  readonly field: string
  readonly side: Side
  /** `file:line:column` of the <handler> element. */
  readonly at: string
}

export interface SideRules {
  readonly ignoredDocuments: ReadonlySet<string>
  readonly documentWildcards: readonly string[]
  readonly ignoredFields: ReadonlySet<string>
  readonly ignoredDatatypes: ReadonlySet<string>
  /** `document.field` → handlers in file order. */
  readonly transforms: ReadonlyMap<string, readonly HandlerConfig[]>
}

export interface MapRulesInit {
  readonly file: string
  readonly source: SideRules
  readonly destination: SideRules
  /** Source document renames, [source name, destination name], in file order. */
  readonly renames: readonly (readonly [string, string])[]
  /** Source field moves, [`doc.field`, `doc.field`], in file order. */
  readonly moves: readonly (readonly [string, string])[]
}

function wildcardToRegExp(pattern: string): RegExp {
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')
  return new RegExp(`^${escaped}`)
}

export class MapRules {
  readonly file: string
  private readonly sides: Record<Side, SideRules>
  private readonly wildcards: Record<Side, RegExp[]>
  private readonly renameForward = new Map<string, string>()
  private readonly renameBackward = new Map<string, string>()
  private readonly moveForward = new Map<string, string>()
  private readonly moveBackward = new Map<string, string>()

  constructor(init: MapRulesInit) {
    this.file = init.file
    this.sides = {source: init.source, destination: init.destination}
    this.wildcards = {
      source: init.source.documentWildcards.map(wildcardToRegExp),
      destination: init.destination.documentWildcards.map(wildcardToRegExp),
    }
    for (const [from, to] of init.renames) {
      if (!this.renameForward.has(from)) this.renameForward.set(from, to)
      if (!this.renameBackward.has(to)) this.renameBackward.set(to, from)
    }
    for (const [from, to] of init.moves) {
      if (!this.moveForward.has(from)) this.moveForward.set(from, to)
      if (!this.moveBackward.has(to)) this.moveBackward.set(to, from)
    }
  }

  isDocumentIgnored(document: string, side: Side): boolean {
    if (this.sides[side].ignoredDocuments.has(document)) return true
    return this.wildcards[side].some((pattern) => pattern.test(document))
  }

  /** The counterpart document's name, or false when the document is ignored on this side. */
  getDocumentMap(document: string, side: Side): string | false {
    if (this.isDocumentIgnored(document, side)) return false
    const renamed = side === 'source' ? this.renameForward.get(document) : this.renameBackward.get(document)
    return renamed ?? document
  }

  isFieldIgnored(document: string, field: string, side: Side): boolean {
    return this.sides[side].ignoredFields.has(`${document}.${field}`)
  }

  isFieldDataTypeIgnored(document: string, field: string, side: Side): boolean {
    return this.sides[side].ignoredDatatypes.has(`${document}.${field}`)
  }

  /** The counterpart column's name, or false when the field is ignored on this side. */
  getFieldMap(document: string, field: string, side: Side): string | false {
    if (this.isFieldIgnored(document, field, side)) return false
    const key = `${document}.${field}`
    const moved = side === 'source' ? this.moveForward.get(key) : this.moveBackward.get(key)
    if (moved === undefined) return field
    return moved.slice(moved.indexOf('.') + 1)
  }

  getHandlerConfigs(document: string, field: string, side: Side): readonly HandlerConfig[] {
    return this.sides[side].transforms.get(`${document}.${field}`) ?? []
  }

  /** Every handler this side of the map names: grouped by field (fields in order of first mention), each field's in file order. */
  allHandlerConfigs(side: Side): HandlerConfig[] {
    return [...this.sides[side].transforms.values()].flat()
  }
}
