import {pathToFileURL} from 'node:url'
import {dirname, resolve} from 'node:path'
import {MigrationError} from '../src/errors.js'
import type {HandlerDefinition, HandlerSetup} from './handler.js'
import {setValue} from './set-value.js'
import {bundleParentProduct} from './bundle-parent-product.js'
import {cleanMultiselect} from './clean-multiselect.js'
import {convertEavValue} from './convert-eav-value.js'
import {eavAttributeApplyTo} from './eav-attribute-apply-to.js'
import {eavAttributeBackendTypeForMultiselect} from './eav-attribute-backend-type-for-multiselect.js'
import {getDestinationValue} from './get-destination-value.js'
import {productAlertStoreId} from './product-alert-store-id.js'
import {quoteMultiAddressStoreId} from './quote-multi-address-store-id.js'
import {ruleConditionSql} from './rule-condition-sql.js'
import {setValueAttributeCondition} from './set-value-attribute-condition.js'
import {settingsCategoryRootId} from './settings-category-root-id.js'
import {truncateSuffix} from './truncate-suffix.js'
import {addPrefix} from './add-prefix.js'
import {classMap} from './class-map.js'
import {convert} from './convert.js'
import {convertDateFormat} from './convert-date-format.js'
import {convertIp} from './convert-ip.js'
import {convertTimestampToDate} from './convert-timestamp-to-date.js'
import {eavAttributeConvertModel} from './eav-attribute-convert-model.js'
import {eavAttributeGroupSetGroupCode} from './eav-attribute-group-set-group-code.js'
import {fieldCopy} from './field-copy.js'
import {getEventStatus} from './get-event-status.js'
import {placeholder} from './placeholder.js'
import {salesOrderStatusStateSetVisibleOnFront} from './sales-order-status-state-set-visible-on-front.js'
import {setHash} from './set-hash.js'
import {settingsTemplate} from './settings-template.js'
import {settingsUrlSuffix} from './settings-url-suffix.js'
import {storeGroupCode} from './store-group-code.js'
import {timezone} from './timezone.js'
import {serializeToJson} from './serialize-to-json.js'
import {serializeToJsonItemOption} from './serialize-to-json-item-option.js'
import {serializeToJsonConvertWithConditions} from './serialize-to-json-convert-with-conditions.js'
import {serializeToJsonSalesOrderItem} from './serialize-to-json-sales-order-item.js'
import {encrypt} from './encrypt.js'
import {synonym} from './synonym.js'
import {ruleNormalizationIds} from './rule-normalization-ids.js'
import {ruleSerializedData} from './rule-serialized-data.js'
import {galleryInsertValueToEntity} from './gallery-insert-value-to-entity.js'
import {gallerySetEntityId} from './gallery-set-entity-id.js'
import {sequence} from './sequence.js'
import {setDefaultWebsiteId} from './set-default-website-id.js'

/** The handlers we ship, by canonical name. */
const BUILT_IN: readonly HandlerDefinition[] = [
  setValue,
  bundleParentProduct,
  cleanMultiselect,
  convertEavValue,
  eavAttributeApplyTo,
  eavAttributeBackendTypeForMultiselect,
  getDestinationValue,
  productAlertStoreId,
  quoteMultiAddressStoreId,
  ruleConditionSql,
  setValueAttributeCondition,
  settingsCategoryRootId,
  truncateSuffix,
  addPrefix,
  classMap,
  convert,
  convertDateFormat,
  convertIp,
  convertTimestampToDate,
  eavAttributeConvertModel,
  eavAttributeGroupSetGroupCode,
  fieldCopy,
  getEventStatus,
  placeholder,
  salesOrderStatusStateSetVisibleOnFront,
  setHash,
  settingsTemplate,
  settingsUrlSuffix,
  storeGroupCode,
  timezone,
  serializeToJson,
  serializeToJsonItemOption,
  serializeToJsonConvertWithConditions,
  serializeToJsonSalesOrderItem,
  encrypt,
  synonym,
  ruleNormalizationIds,
  ruleSerializedData,
  galleryInsertValueToEntity,
  gallerySetEntityId,
  sequence,
  setDefaultWebsiteId,
]

const PREFIX = /^\\?Migration\\Handler\\/
const MODULE_PATH = /^(\.{1,2}\/|\/).+\.(m?js|cjs)$/

/** `\Migration\Handler\SerializeToJson\ItemOption` → `SerializeToJson\ItemOption`. */
export function canonicalHandlerName(className: string): string {
  return className.replace(/^\\/, '').replace(PREFIX, '').replace(/^Migration\\Handler\\/, '')
}

export function isHandlerModulePath(className: string): boolean {
  return MODULE_PATH.test(className)
}

export class HandlerRegistry {
  private readonly byName = new Map<string, HandlerDefinition>()

  constructor(definitions: readonly HandlerDefinition[] = BUILT_IN) {
    for (const definition of definitions) this.byName.set(definition.name, definition)
  }

  /** The definition for a class name as the map wrote it, or undefined when we have none. */
  find(className: string): HandlerDefinition | undefined {
    return this.byName.get(canonicalHandlerName(className))
  }

  /** Whether the class is one we can run: built in, or a module path (checked when loaded). */
  has(className: string): boolean {
    return isHandlerModulePath(className) || this.find(className) !== undefined
  }

  names(): string[] {
    return [...this.byName.keys()].sort()
  }

  /** Resolves the definition (loading the operator's module when the class is a path). */
  async definitionFor(setup: Pick<HandlerSetup, 'className' | 'mapFile' | 'document' | 'field' | 'at'>): Promise<HandlerDefinition> {
    if (isHandlerModulePath(setup.className)) return loadHandlerModule(setup)
    const definition = this.find(setup.className)
    if (!definition) {
      throw new MigrationError('HANDLER_UNKNOWN', `${setup.at}: handler ${setup.className} for ${setup.document}.${setup.field} is not available`, {document: setup.document, field: setup.field, file: setup.mapFile}, `Available handlers: ${this.names().join(', ')}.`)
    }
    return definition
  }
}

async function loadHandlerModule(setup: Pick<HandlerSetup, 'className' | 'mapFile' | 'document' | 'field' | 'at'>): Promise<HandlerDefinition> {
  const file = resolve(dirname(setup.mapFile), setup.className)
  let loaded: Record<string, unknown>
  try {
    loaded = await import(pathToFileURL(file).href) as Record<string, unknown>
  } catch (error) {
    throw new MigrationError('HANDLER_UNKNOWN', `${setup.at}: handler module ${file} for ${setup.document}.${setup.field} cannot be loaded: ${(error as Error).message}`, {document: setup.document, field: setup.field, file: setup.mapFile})
  }
  const definition = (loaded.default ?? loaded.handler) as HandlerDefinition | undefined
  if (!definition || typeof definition.create !== 'function') {
    throw new MigrationError('HANDLER_UNKNOWN', `${setup.at}: handler module ${file} must export a handler definition ({name, params, create}) as default or as "handler"`, {document: setup.document, field: setup.field, file: setup.mapFile})
  }
  return {...definition, params: definition.params ?? {}}
}

/** Checks params by name: an unknown or missing one is an error naming map file, field and handler. */
export function checkHandlerParams(definition: HandlerDefinition, setup: Pick<HandlerSetup, 'className' | 'params' | 'document' | 'field' | 'at' | 'mapFile'>): void {
  const known = definition.params
  for (const name of Object.keys(setup.params)) {
    if (!Object.hasOwn(known, name)) {
      throw new MigrationError('HANDLER_PARAMS', `${setup.at}: handler ${setup.className} on ${setup.document}.${setup.field} has no param "${name}"; it takes ${Object.keys(known).join(', ') || 'none'}`, {document: setup.document, field: setup.field, file: setup.mapFile})
    }
  }
  for (const [name, param] of Object.entries(known)) {
    if (param.required && !Object.hasOwn(setup.params, name)) {
      throw new MigrationError('HANDLER_PARAMS', `${setup.at}: handler ${setup.className} on ${setup.document}.${setup.field} needs param "${name}" (${param.description})`, {document: setup.document, field: setup.field, file: setup.mapFile})
    }
  }
}
