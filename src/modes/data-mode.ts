import type {StageKind, StepConfig} from '../config/migration-config.js'
import {type ErrorCode, MigrationError} from '../errors.js'
import type {RunContext, StageInstance} from '../steps/run-context.js'
import {stageDefinition} from '../steps/step-registry.js'

const LABEL: Record<StageKind, string> = {integrity: 'integrity check', data: 'data migration', volume: 'volume check', delta: 'delta delivering'}

export const AUTO_HINT = 'You can use --auto or -a option to ignore not mapped differences between source and destination to continue migration'

const ENDS_RUN = new Set<ErrorCode>(['CONFIG_FILE', 'CONFIG_INVALID', 'MAP_FILE', 'MAP_INVALID', 'XML_MALFORMED', 'STEP_UNSUPPORTED', 'HANDLER_PARAMS', 'INTERRUPTED'])

interface PlannedStep {
  readonly step: StepConfig
  readonly stages: Map<StageKind, StageInstance>
}

/**
 * Builds every stage of a mode before any runs, so an unsupported step class fails at once, before
 * anything is read or written.
 */
export function planSteps(context: RunContext, steps: readonly StepConfig[]): PlannedStep[] {
  return steps.map((step) => {
    const stages = new Map<StageKind, StageInstance>()
    for (const stage of step.stages) {
      if (stages.has(stage.kind)) continue
      stages.set(stage.kind, stageDefinition(stage.className, stage.kind, stage.at).create(context, stage.kind, step))
    }
    return {step, stages}
  })
}

async function runStage(context: RunContext, planned: PlannedStep, kind: StageKind): Promise<boolean> {
  const stage = planned.stages.get(kind)!
  context.log.setContext({mode: context.mode, stage: LABEL[kind], step: planned.step.title})
  context.log.info('started')
  if (context.journal.isStageDone(planned.step.title, kind)) {
    context.log.info('done in an earlier run: skipped')
    return true
  }
  try {
    const ok = await stage.perform()
    if (ok) await context.journal.markStageDone(planned.step.title, kind)
    return ok
  } catch (error) {
    // A broken file or an interruption ends the run as it is; a failure of the stage's own work
    // is logged and the stage counts as failed, as in the DMT.
    if (error instanceof MigrationError && !ENDS_RUN.has(error.code)) {
      context.log.error(error.message)
      if (error.hint) context.log.notice(error.hint)
      return false
    }
    throw error
  }
}

/** One line saying where a rerun picks up: the stage, the document and the rows already done. */
function announceResume(context: RunContext, planned: readonly PlannedStep[]): void {
  if (!context.journal.hasSavedProgress) return
  for (const step of planned) {
    // Integrity checks are cheap and always run again until they pass; the resume point is a data or volume stage.
    for (const kind of ['data', 'volume'] as const) {
      if (!step.stages.has(kind) || context.journal.isStageDone(step.step.title, kind)) continue
      let where = `stage ${LABEL[kind]} of ${step.step.title}`
      if (kind === 'data') {
        const {done, inProgress} = context.journal.stageSummary(step.step.title, kind)
        const documents = inProgress.map((entry) => `${entry.document} (${entry.rows} rows already done)`)
        where += `: ${done} documents already done${documents.length > 0 ? `, continuing ${documents.join(', ')}` : ''}`
      }
      context.log.info(`Resuming from the saved progress: ${where}`)
      return
    }
  }
  context.log.info('Resuming from the saved progress: every stage is done already')
}

/**
 * migrate:data in the DMT's order: every integrity stage first (all run, none short-circuits);
 * if any failed without --auto, stop before writing anything. Then, step by step, data and volume.
 */
export async function runDataMode(context: RunContext): Promise<void> {
  const steps = context.config.modes.get('data') ?? []
  if (steps.length === 0) {
    throw new MigrationError('CONFIG_INVALID', `${context.config.file}: no <steps mode="data"> with steps`, {file: context.config.file})
  }
  const planned = planSteps(context, steps)
  announceResume(context, planned)
  let integrityOk = true
  for (const step of planned) {
    if (step.stages.has('integrity') && !(await runStage(context, step, 'integrity'))) integrityOk = false
  }
  if (!integrityOk && !context.auto) {
    context.log.notice(AUTO_HINT)
    throw new MigrationError('INTEGRITY_FAILED', 'Integrity Check failed', {stage: 'integrity check'})
  }
  for (const step of planned) {
    if (!step.stages.has('data')) continue
    if (!(await runStage(context, step, 'data'))) {
      throw new MigrationError('DATA_FAILED', 'Data Migration failed', {step: step.step.title, stage: 'data migration'}, 'Please fix errors and run Migration Tool again')
    }
    if (step.stages.has('volume') && !(await runStage(context, step, 'volume'))) {
      throw new MigrationError('VOLUME_FAILED', 'Volume Check failed', {step: step.step.title, stage: 'volume check'})
    }
  }
  context.log.setContext({mode: context.mode})
  context.log.info('Migration completed')
}
