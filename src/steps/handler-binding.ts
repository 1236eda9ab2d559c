import type {LookupPort, SideWriter} from '../../transforms/handler.js'
import {checkHandlerParams, type HandlerRegistry} from '../../transforms/registry.js'
import type {HandlerConfig} from '../config/map-rules.js'
import type {Logger} from '../log/logger.js'
import type {BoundHandler} from '../pipeline/document-transformer.js'

export interface BindingContext {
  readonly registry: HandlerRegistry
  readonly mapFile: string
  readonly log: Logger
  readonly source?: LookupPort
  readonly destination?: LookupPort
  readonly options: Readonly<Record<string, string>>
  readonly resolveOptionFile: (option: string) => string
  /** Key columns of the handled document, per side (for naming records in warnings). */
  readonly recordKey?: {readonly source?: readonly string[]; readonly destination?: readonly string[]}
  /** Where handlers put rows for other destination documents. */
  readonly sideWriter?: SideWriter
}

/** Creates the handlers of one document, once: params are checked, lookups loaded here. */
export async function bindHandlers(configs: readonly HandlerConfig[], context: BindingContext): Promise<BoundHandler[]> {
  const bound: BoundHandler[] = []
  for (const config of configs) {
    const setup = {
      className: config.className,
      document: config.document,
      field: config.field,
      side: config.side,
      params: config.params,
      mapFile: context.mapFile,
      at: config.at,
      source: context.source,
      destination: context.destination,
      warn: (message: string) => context.log.warning(`${config.document}.${config.field}: ${message}`),
      options: context.options,
      resolveOptionFile: context.resolveOptionFile,
      recordKey: context.recordKey?.[config.side],
      sideWriter: context.sideWriter,
    }
    const definition = await context.registry.definitionFor(setup)
    checkHandlerParams(definition, setup)
    const handler = await definition.create(setup)
    bound.push({field: config.field, handler, writesOpposite: definition.writesOpposite?.(setup), sideDocuments: definition.sideDocuments?.(setup)})
  }
  return bound
}
