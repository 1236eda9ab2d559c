import type {HandlerRegistry} from '../../../transforms/registry.js'
import type {HandlerConfig, MapRules} from '../../config/map-rules.js'
import type {DatabaseSchema, TableSchema} from '../../schema/table-schema.js'

/** A source document and the destination document it is copied into. */
export interface DocumentPair {
  readonly source: TableSchema
  readonly destination: TableSchema
  /** Handlers for source columns (column order), then for destination columns. */
  readonly sourceHandlers: readonly HandlerConfig[]
  readonly destinationHandlers: readonly HandlerConfig[]
}

/** The documents the Map step copies: every source document the map does not ignore whose counterpart exists. */
export function mappedDocuments(rules: MapRules, source: DatabaseSchema, destination: DatabaseSchema): DocumentPair[] {
  const pairs: DocumentPair[] = []
  for (const name of source.documents) {
    const target = rules.getDocumentMap(name, 'source')
    if (target === false) continue
    const destinationTable = destination.tables.get(target)
    if (!destinationTable) continue
    const sourceTable = source.tables.get(name)!
    pairs.push({
      source: sourceTable,
      destination: destinationTable,
      sourceHandlers: sourceTable.columns.flatMap((column) => rules.getHandlerConfigs(name, column.name, 'source')),
      destinationHandlers: destinationTable.columns.flatMap((column) => rules.getHandlerConfigs(target, column.name, 'destination')),
    })
  }
  return pairs
}

/** The handlers a pair needs that the registry does not have. */
export function unavailableHandlers(pair: DocumentPair, registry: HandlerRegistry): HandlerConfig[] {
  return [...pair.sourceHandlers, ...pair.destinationHandlers].filter((config) => !registry.has(config.className))
}
