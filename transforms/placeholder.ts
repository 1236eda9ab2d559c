import {type HandlerDefinition, requireField, type Value} from './handler.js'
import {type ClassMap, classMapOf} from './class-map-option.js'

/*
 * The DMT matches directives with PCRE, where `.` stops only at "\n" (a JavaScript `.` also stops
 * at "\r", and CMS content from Windows is full of "\r\n"), and with every quantifier lazy. The
 * patterns below spell that out: `[^\n]*?`.
 */

/** A `{{widget …}}` or `{{block …}}` directive, on one line. */
const DIRECTIVE = /\{\{(?:widget|block)[^\n]*?\}\}/
/** A directive's template path: everything up to and including its first `/` goes. */
const TEMPLATE_MODULE = /(\{\{widget|\{\{block)([^\n]*?template=")([^\n]*?\/)([^\n]*?"[^\n]*?\}\})/g
/** A widget whose type is still a Magento 1 alias (`cms/widget_xyz`), which Magento 2 has no class for. */
const UNKNOWN_WIDGET = /\{\{widget type="[\w-]+?\/[\w-]+?"[^\n]+?\}\}/g

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** Rewrites `type="alias"` for every alias the class map names. */
function typeRewriter(map: ClassMap): (content: string) => string {
  if (map.entries.size === 0) return (content) => content
  const aliases = new RegExp(`type="(${[...map.entries.keys()].map(escapeRegExp).join('|')})"`, 'g')
  // Directives write a class's backslashes doubled: type="Magento\\Cms\\Block\\Widget\\Page\\Link".
  const replacement = new Map([...map.entries].map(([from, to]) => [from, `type="${(to ?? '').replaceAll('\\', '\\\\')}"`]))
  return (content) => content.replace(aliases, (_whole, alias: string) => replacement.get(alias)!)
}

/**
 * Placeholder: in CMS pages and blocks, email and newsletter templates, and widget parameters,
 * rewrites the `{{widget}}` and `{{block}}` directives for Magento 2: a `type="alias"` the class
 * map names becomes its Magento 2 class (an alias mapped to nothing becomes `type=""`), a template
 * path loses its first folder (the Magento 1 module: `cms/widget/link/link_block.phtml` →
 * `widget/link/link_block.phtml`), and widgets whose type is still an alias are removed.
 * Content without such a directive is kept as it is.
 */
export const placeholder: HandlerDefinition = {
  name: 'Placeholder',
  params: {},
  async create(setup) {
    const {field} = setup
    const rewriteTypes = typeRewriter(await classMapOf(setup))
    const process = (content: string): string => {
      if (!DIRECTIVE.test(content)) return content
      return rewriteTypes(content)
        .replace(TEMPLATE_MODULE, (_whole, directive: string, beforePath: string, _module: string, rest: string) => `${directive}${beforePath}${rest}`)
        .replace(UNKNOWN_WIDGET, '')
    }
    return {
      handle(record) {
        requireField(record, field)
        const content: Value = record.get(field)
        // Bytes are read as latin1, so that every byte outside the directives comes back unchanged.
        if (typeof content === 'string') record.set(field, process(content))
        else if (Buffer.isBuffer(content)) record.set(field, Buffer.from(process(content.toString('latin1')), 'latin1'))
      },
    }
  },
}
