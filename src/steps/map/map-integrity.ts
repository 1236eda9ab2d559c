import type {RunContext, StageInstance} from '../run-context.js'
import {checkSide, IntegrityFindings, reportFindings} from '../integrity-check.js'
import {mappedDocuments, unavailableHandlers} from './map-documents.js'

/** Map step, integrity stage: the DMT's document and field check on both sides, plus handlers we lack. */
export class MapIntegrity implements StageInstance {
  constructor(private readonly context: RunContext, private readonly mapOption = 'map_file') {}

  async perform(): Promise<boolean> {
    const {context} = this
    const rules = await context.map(this.mapOption)
    const [source, destination] = await Promise.all([context.source.schema(), context.destination.schema()])
    const findings = new IntegrityFindings()
    checkSide(findings, rules, 'source', source, destination)
    checkSide(findings, rules, 'destination', destination, source)
    for (const pair of mappedDocuments(rules, source, destination)) {
      for (const config of unavailableHandlers(pair, context.handlers)) findings.addMissingHandler(config)
    }
    return reportFindings(findings, context.log, context.auto)
  }
}
