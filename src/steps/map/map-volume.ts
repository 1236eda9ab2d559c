import type {RunContext, StageInstance} from '../run-context.js'
import {mappedDocuments, unavailableHandlers} from './map-documents.js'

/** Map step, volume stage: row counts of every mapped document, source against destination. */
export class MapVolume implements StageInstance {
  constructor(private readonly context: RunContext, private readonly mapOption = 'map_file') {}

  async perform(): Promise<boolean> {
    const {context} = this
    const rules = await context.map(this.mapOption)
    const [source, destination] = await Promise.all([context.source.schema(), context.destination.schema()])
    const errors: string[] = []
    for (const pair of mappedDocuments(rules, source, destination)) {
      if (unavailableHandlers(pair, context.handlers).length > 0) {
        context.log.warning(`Document ${pair.source.name} is left out of the volume check: it was skipped for a handler that is not available`)
        continue
      }
      const [sourceCount, destinationCount] = await Promise.all([context.reader.count(pair.source), context.writer.count(pair.destination)])
      if (sourceCount !== destinationCount) {
        errors.push(`Mismatch of entities in the document: ${pair.destination.name} Source: ${sourceCount} Destination: ${destinationCount}`)
      }
    }
    for (const message of errors) context.log.error(message)
    return errors.length === 0
  }
}
