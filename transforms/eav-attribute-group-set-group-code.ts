import {createHash} from 'node:crypto'
import {type HandlerDefinition, requireField} from './handler.js'
import {textOf} from './lookup-support.js'

/** Letters that Unicode decomposition does not reduce to ASCII. Case is kept, as Magento's filter keeps it. */
const SPECIAL_LETTERS: Readonly<Record<string, string>> = {
  ß: 'ss', Æ: 'AE', æ: 'ae', Œ: 'OE', œ: 'oe', Ø: 'O', ø: 'o', Đ: 'D', đ: 'd', Ð: 'D', ð: 'd',
  Ł: 'L', ł: 'l', Þ: 'TH', þ: 'th', ı: 'i', Ħ: 'H', ħ: 'h', '™': 'tm', '©': 'c', '®': 'r',
}

/** Russian and Ukrainian letters in a common Latin spelling; capitals give capitals. */
const CYRILLIC: Readonly<Record<string, string>> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'yo', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k',
  л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'h', ц: 'c',
  ч: 'ch', ш: 'sh', щ: 'sch', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya', є: 'ye', і: 'i', ї: 'yi', ґ: 'g',
}

function transliterateLetter(letter: string): string {
  if (Object.hasOwn(SPECIAL_LETTERS, letter)) return SPECIAL_LETTERS[letter]
  const lower = letter.toLowerCase()
  if (Object.hasOwn(CYRILLIC, lower)) {
    const latin = CYRILLIC[lower]
    return lower === letter ? latin : latin.toUpperCase()
  }
  // é → e + combining accent → e; letters of other scripts stay as they are.
  return letter.normalize('NFKD').replace(/\p{Mn}/gu, '')
}

/**
 * The attribute group code Magento 2 derives from a group name: `Meta Information` →
 * `meta-information`. As in Magento, only ASCII letters are lowered before transliteration, so
 * an accented capital (`Über`) becomes a capital that the a-z filter then drops (`ber`).
 */
export function groupCode(name: string): string {
  const lowered = name.replace(/[A-Z]/g, (letter) => letter.toLowerCase())
  const latin = [...lowered].map((letter) => (letter.charCodeAt(0) < 0x80 ? letter : transliterateLetter(letter))).join('')
  const code = latin.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '')
  // An empty code (or "0", which PHP takes for empty) becomes the md5 of itself.
  return code === '' || code === '0' ? createHash('md5').update(code).digest('hex') : code
}

/**
 * EavAttributeGroup\SetGroupCode: Magento 2's eav_attribute_group.attribute_group_code, made from
 * the record's attribute_group_name (`General Information` → `general-information`).
 */
export const eavAttributeGroupSetGroupCode: HandlerDefinition = {
  name: 'EavAttributeGroup\\SetGroupCode',
  params: {},
  create({field}) {
    return {
      handle(record) {
        requireField(record, field)
        requireField(record, 'attribute_group_name')
        record.set(field, groupCode(textOf(record.get('attribute_group_name')) ?? ''))
      },
    }
  },
}
