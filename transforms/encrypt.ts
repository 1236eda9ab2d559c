/**
 * Encrypt: a value Magento 1 encrypted (a stored card number, a payment gateway's password) is
 * decrypted with Magento 1's key and encrypted again the way Magento 2 reads it. The maps use it
 * on sales_flat_order_payment.cc_number_enc, sales_flat_quote_payment.cc_number_enc and, in
 * settings.xml, on encrypted core_config_data paths.
 *
 * It needs two config.xml options:
 * - `crypt_key`: Magento 1's key, `<global><crypt><key>` of app/etc/local.xml (the DMT's option).
 *   Magento 1 Enterprise may list several keys there, oldest first; give them all, separated by
 *   spaces or newlines, and each value is read with the key its version names.
 * - `m2_crypt_key`: Magento 2's key, `crypt` → `key` of app/etc/env.php, as it stands there (one
 *   key, or several separated by whitespace, the last being current). The DMT runs inside the
 *   Magento 2 install and reads env.php itself; we run outside it, so we ask for the key.
 *
 * Like the DMT, an empty value (NULL, '' or '0') is left as it is.
 */
import {isUtf8} from 'node:buffer'
import {MigrationError} from '../src/errors.js'
import {Magento1Decryptor, magento1KeyProblem, magento1Keys} from './crypto/magento1-crypt.js'
import {encryptForMagento2, magento2Key, type Magento2Key} from './crypto/magento2-encryptor.js'
import {type HandlerDefinition, type HandlerSetup, requireField} from './handler.js'
import {handlerSubject, isEmptyValue, textOf} from './lookup-support.js'

export const M1_KEY_OPTION = 'crypt_key'
export const M2_KEY_OPTION = 'm2_crypt_key'

const M1_KEY_SOURCE = 'the value of <global><crypt><key> in Magento 1\'s app/etc/local.xml'
const M2_KEY_SOURCE = 'the value of \'crypt\' => [\'key\' => …] in Magento 2\'s app/etc/env.php'

function optionError(setup: HandlerSetup, problem: string, option: string, source: string): MigrationError {
  const {document, field, mapFile} = setup
  return new MigrationError('CONFIG_INVALID', `${handlerSubject(setup)}: ${problem}`, {document, field, file: mapFile}, `Set <${option}> in config.xml's <options> to ${source}.`)
}

function optionText(setup: HandlerSetup, option: string, purpose: string, source: string): string {
  const text = setup.options?.[option]?.trim() ?? ''
  if (text === '') throw optionError(setup, `the config option <${option}> is ${setup.options ? 'not set' : 'not available (no config.xml is loaded)'}; it is needed to ${purpose}`, option, source)
  return text
}

function magento1Decryptor(setup: HandlerSetup): Magento1Decryptor {
  const keys = magento1Keys(optionText(setup, M1_KEY_OPTION, 'decrypt the values Magento 1 encrypted', M1_KEY_SOURCE))
  keys.forEach((key, version) => {
    const problem = magento1KeyProblem(key)
    if (problem) throw optionError(setup, `the config option <${M1_KEY_OPTION}> is not a Magento 1 key: key version ${version}: ${problem}`, M1_KEY_OPTION, M1_KEY_SOURCE)
  })
  return new Magento1Decryptor(keys)
}

function magento2EncryptionKey(setup: HandlerSetup): Magento2Key {
  const text = optionText(setup, M2_KEY_OPTION, 'encrypt the values for Magento 2', M2_KEY_SOURCE)
  try {
    return magento2Key(text)
  } catch (error) {
    throw optionError(setup, `the config option <${M2_KEY_OPTION}> is not a Magento 2 key: ${(error as Error).message}`, M2_KEY_OPTION, M2_KEY_SOURCE)
  }
}

export const encrypt: HandlerDefinition = {
  name: 'Encrypt',
  params: {},
  create(setup) {
    const {field} = setup
    const decryptor = magento1Decryptor(setup)
    const key = magento2EncryptionKey(setup)
    let warned = false
    return {
      handle(record) {
        requireField(record, field)
        const value = record.get(field)
        if (isEmptyValue(value)) return
        const text = textOf(value) as string
        let plain: Buffer
        try {
          plain = decryptor.decrypt(text)
        } catch (error) {
          throw new Error(`${field}: cannot decrypt the Magento 1 value: ${(error as Error).message}`)
        }
        // Blowfish and AES have no integrity check: a wrong key gives bytes, not an error.
        // Secrets are text, so bytes that are not UTF-8 most likely mean the wrong crypt_key.
        if (!warned && !isUtf8(plain)) {
          warned = true
          setup.warn(`a value decrypts to bytes that are not UTF-8 text; check that <${M1_KEY_OPTION}> is ${M1_KEY_SOURCE} (warned once)`)
        }
        record.set(field, encryptForMagento2(plain, key))
      },
    }
  },
}
