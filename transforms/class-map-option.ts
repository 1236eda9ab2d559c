/**
 * The class map of the run, for the handlers that translate Magento 1 class aliases (ClassMap,
 * Placeholder, EavAttribute\ConvertModel). The file is named by the config option `class_map`
 * and parsed once per run: every handler created for it shares that one parse.
 */
import {type ClassMap, cachedClassMap} from '../src/config/class-map-reader.js'
import {MigrationError} from '../src/errors.js'
import type {HandlerSetup} from './handler.js'
import {handlerSubject} from './lookup-support.js'

export type {ClassMap}

export const CLASS_MAP_OPTION = 'class_map'

export async function classMapOf(setup: HandlerSetup): Promise<ClassMap> {
  const {document, field, mapFile} = setup
  if (!setup.resolveOptionFile) {
    throw new MigrationError('HANDLER_PARAMS', `${handlerSubject(setup)} needs the class map that the config option <${CLASS_MAP_OPTION}> names, and no config.xml is loaded`, {document, field, file: mapFile}, `Run it with a config.xml whose <options> hold <${CLASS_MAP_OPTION}>.`)
  }
  let file: string
  try {
    file = setup.resolveOptionFile(CLASS_MAP_OPTION)
  } catch (error) {
    if (!(error instanceof MigrationError)) throw error
    throw new MigrationError(error.code, `${handlerSubject(setup)} needs the class map: ${error.message}`, {...error.context, document, field}, error.hint, error)
  }
  return cachedClassMap(file)
}
