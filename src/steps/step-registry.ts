import type {StageKind} from '../config/migration-config.js'
import {MigrationError} from '../errors.js'
import {MapData} from './map/map-data.js'
import {MapIntegrity} from './map/map-integrity.js'
import {MapVolume} from './map/map-volume.js'
import type {StageDefinition} from './run-context.js'

/** Every DMT stage class we implement, keyed by its class name as config.xml writes it. */
const STAGES: readonly StageDefinition[] = [
  {className: 'Migration\\Step\\Map\\Integrity', kinds: ['integrity'], create: (context) => new MapIntegrity(context)},
  {className: 'Migration\\Step\\Map\\Data', kinds: ['data'], create: (context, _kind, step) => new MapData(context, step.title)},
  {className: 'Migration\\Step\\Map\\Volume', kinds: ['volume'], create: (context) => new MapVolume(context)},
]

export function normalizeStageClass(className: string): string {
  return className.trim().replace(/^\\/, '')
}

export function supportedStageClasses(): string[] {
  return STAGES.map((stage) => stage.className)
}

/** The definition for a stage class, or a clear error that names it and lists what we support. */
export function stageDefinition(className: string, kind: StageKind, at: string): StageDefinition {
  const wanted = normalizeStageClass(className)
  const definition = STAGES.find((stage) => stage.className === wanted)
  if (!definition) {
    throw new MigrationError('STEP_UNSUPPORTED', `${at}: step class ${className} is not supported yet`, {stage: kind}, `Supported step classes: ${supportedStageClasses().join(', ')}. Remove the other steps from <steps> in config.xml, or wait for them.`)
  }
  if (!definition.kinds.includes(kind)) {
    throw new MigrationError('STEP_UNSUPPORTED', `${at}: ${className} cannot stand in <${kind}>; it is a ${definition.kinds.join('/')} stage`, {stage: kind})
  }
  return definition
}
