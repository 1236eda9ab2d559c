import test from 'ava'
import {formatPhpFloat, PhpArray, PhpObject, phpJsonEncode, type PhpValue, serialize, unserialize} from '../../transforms/php-serialize.js'

// Values as they are stored in the Magento 1.6.1.0 sample database (shared/reference/dumps).
/** catalogrule.conditions_serialized, rule 1: nested lists, N;, b:0; and the float d:100; */
const CATALOGRULE_1_CONDITIONS = 'a:7:{s:4:"type";s:34:"catalogrule/rule_condition_combine";s:9:"attribute";N;s:8:"operator";N;s:5:"value";s:1:"1";s:18:"is_value_processed";N;s:10:"aggregator";s:3:"all";s:10:"conditions";a:2:{i:0;a:5:{s:4:"type";s:34:"catalogrule/rule_condition_product";s:9:"attribute";s:12:"manufacturer";s:8:"operator";s:2:"==";s:5:"value";s:0:"";s:18:"is_value_processed";b:0;}i:1;a:5:{s:4:"type";s:34:"catalogrule/rule_condition_product";s:9:"attribute";s:5:"price";s:8:"operator";s:2:"<=";s:5:"value";d:100;s:18:"is_value_processed";b:0;}}}'
/** catalogrule.actions_serialized, rule 1. */
const CATALOGRULE_1_ACTIONS = 'a:4:{s:4:"type";s:34:"catalogrule/rule_action_collection";s:9:"attribute";N;s:8:"operator";s:1:"=";s:5:"value";N;}'
/** catalogrule.conditions_serialized, rule 5. */
const CATALOGRULE_5_CONDITIONS = 'a:7:{s:4:"type";s:34:"catalogrule/rule_condition_combine";s:9:"attribute";N;s:8:"operator";N;s:5:"value";s:1:"1";s:18:"is_value_processed";N;s:10:"aggregator";s:3:"any";s:10:"conditions";a:3:{i:0;a:5:{s:4:"type";s:34:"catalogrule/rule_condition_product";s:9:"attribute";s:3:"sku";s:8:"operator";s:2:"==";s:5:"value";s:6:"384822";s:18:"is_value_processed";b:0;}i:1;a:5:{s:4:"type";s:34:"catalogrule/rule_condition_product";s:9:"attribute";s:3:"sku";s:8:"operator";s:2:"==";s:5:"value";s:6:"349838";s:18:"is_value_processed";b:0;}i:2;a:5:{s:4:"type";s:34:"catalogrule/rule_condition_product";s:9:"attribute";s:3:"sku";s:8:"operator";s:2:"==";s:5:"value";s:4:"1112";s:18:"is_value_processed";b:0;}}}'
/** dataflow_profile.gui_data, profile 2: maps keyed 1..4 (not a list), and the string s:1:"""; */
const DATAFLOW_2_GUI_DATA = 'a:5:{s:4:"file";a:7:{s:4:"type";s:4:"file";s:8:"filename";s:25:"export_product_stocks.csv";s:4:"path";s:10:"var/export";s:4:"host";s:0:"";s:4:"user";s:0:"";s:8:"password";s:0:"";s:7:"passive";s:0:"";}s:5:"parse";a:5:{s:4:"type";s:3:"csv";s:12:"single_sheet";s:0:"";s:9:"delimiter";s:1:",";s:7:"enclose";s:1:""";s:10:"fieldnames";s:4:"true";}s:3:"map";a:3:{s:14:"only_specified";s:4:"true";s:7:"product";a:2:{s:2:"db";a:4:{i:1;s:5:"store";i:2;s:3:"sku";i:3;s:3:"qty";i:4;s:11:"is_in_stock";}s:4:"file";a:4:{i:1;s:5:"store";i:2;s:3:"sku";i:3;s:3:"qty";i:4;s:11:"is_in_stock";}}s:8:"customer";a:2:{s:2:"db";a:0:{}s:4:"file";a:0:{}}}s:7:"product";a:1:{s:6:"filter";a:8:{s:4:"name";s:0:"";s:3:"sku";s:0:"";s:4:"type";s:1:"0";s:13:"attribute_set";s:0:"";s:5:"price";a:2:{s:4:"from";s:0:"";s:2:"to";s:0:"";}s:3:"qty";a:2:{s:4:"from";s:0:"";s:2:"to";s:0:"";}s:10:"visibility";s:1:"0";s:6:"status";s:1:"0";}}s:8:"customer";a:1:{s:6:"filter";a:10:{s:9:"firstname";s:0:"";s:8:"lastname";s:0:"";s:5:"email";s:0:"";s:5:"group";s:1:"0";s:10:"adressType";s:15:"default_billing";s:9:"telephone";s:0:"";s:8:"postcode";s:0:"";s:7:"country";s:0:"";s:6:"region";s:0:"";s:10:"created_at";a:2:{s:4:"from";s:0:"";s:2:"to";s:0:"";}}}}'
/** customer_eav_attribute.validate_rules, attributes 1, 3 and 14. */
const VALIDATE_RULES = ['a:2:{s:15:"max_text_length";i:255;s:15:"min_text_length";i:1;}', 'a:1:{s:16:"input_validation";s:5:"email";}', 'a:0:{}']
/** admin_user.extra, user 1. */
const ADMIN_USER_EXTRA = 'N;'

const REAL_SAMPLES = [CATALOGRULE_1_CONDITIONS, CATALOGRULE_1_ACTIONS, CATALOGRULE_5_CONDITIONS, DATAFLOW_2_GUI_DATA, ...VALIDATE_RULES, ADMIN_USER_EXTRA]

function parsed(input: string | Buffer): PhpValue {
  const result = unserialize(input)
  if (!result.ok) throw new Error(`expected ${JSON.stringify(input.toString())} to parse: ${result.reason}`)
  if (result.warnings.length > 0) throw new Error(`expected no warnings: ${result.warnings.join('; ')}`)
  return result.value
}

function json(value: PhpValue): string {
  const result = phpJsonEncode(value)
  if (!result.ok) throw new Error(`expected JSON: ${result.reason}`)
  return result.json
}

function brokenReason(input: string | Buffer): string {
  const result = unserialize(input)
  if (result.ok) throw new Error(`expected ${JSON.stringify(input.toString())} to be broken`)
  return result.reason
}

function warningsOf(input: string): readonly string[] {
  const result = unserialize(input)
  if (!result.ok) throw new Error(`expected ${JSON.stringify(input)} to parse: ${result.reason}`)
  return result.warnings
}

/** `depth` arrays each holding the next: a:1:{i:0;a:1:{i:0;…N;}…} */
function nestedArrays(depth: number): string {
  return `${'a:1:{i:0;'.repeat(depth)}N;${'}'.repeat(depth)}`
}

// --- scalars ------------------------------------------------------------------------------

test('N; is null and b:0; / b:1; are false and true', (t) => {
  t.is(parsed('N;'), null)
  t.is(parsed('b:0;'), false)
  t.is(parsed('b:1;'), true)
})

test('a boolean other than 0 or 1 is broken, as in PHP 7+', (t) => {
  t.regex(brokenReason('b:2;'), /boolean/)
})

test('integers are PHP ints (bigint), with sign and leading zeros as PHP reads them', (t) => {
  t.is(parsed('i:0;'), 0n)
  t.is(parsed('i:-42;'), -42n)
  t.is(parsed('i:+7;'), 7n)
  t.is(parsed('i:007;'), 7n)
})

test('integers beyond 2^53 keep every digit, up to the 64-bit limits', (t) => {
  // 2^53 + 1 is the first integer a double cannot hold.
  t.is(parsed('i:9007199254740993;'), 9007199254740993n)
  t.is(parsed('i:9223372036854775807;'), 9223372036854775807n)
  t.is(parsed('i:-9223372036854775808;'), -9223372036854775808n)
})

test('an integer past 64 bits is clamped with a warning, as PHP does', (t) => {
  const result = unserialize('i:9223372036854775808;')

  t.true(result.ok)
  if (!result.ok) return
  t.is(result.value, 9223372036854775807n)
  t.regex(result.warnings.join(), /out of the 64-bit range/)
})

test('floats read in every form PHP writes or accepts', (t) => {
  t.is(parsed('d:0.1;'), 0.1)
  t.is(parsed('d:100;'), 100)
  t.is(parsed('d:-1.5;'), -1.5)
  t.is(parsed('d:.5;'), 0.5)
  t.is(parsed('d:5.;'), 5)
  t.is(parsed('d:1.0E+25;'), 1e25)
  t.is(parsed('d:1.0E-5;'), 0.00001)
  t.is(parsed('d:2e3;'), 2000)
  // PHP 5 wrote floats with 17 digits: Magento 1 data is full of these.
  t.is(parsed('d:49.990000000000002;'), 49.99)
})

test('INF, -INF and NAN read as the special floats', (t) => {
  t.is(parsed('d:INF;'), Number.POSITIVE_INFINITY)
  t.is(parsed('d:-INF;'), Number.NEGATIVE_INFINITY)
  t.true(Number.isNaN(parsed('d:NAN;')))
})

test('a float PHP would not read is broken', (t) => {
  for (const input of ['d:;', 'd:1e;', 'd:+INF;', 'd:inf;', 'd:1,5;', 'd:0x10;']) t.truthy(brokenReason(input), input)
})

// --- strings ------------------------------------------------------------------------------

test('string lengths count UTF-8 bytes: é is 2, 日本 is 6, an emoji is 4', (t) => {
  t.is(parsed('s:2:"é";'), 'é')
  t.is(parsed('s:6:"日本";'), '日本')
  t.is(parsed('s:4:"😀";'), '😀')
  t.is(parsed('s:12:"Café 日本";'), 'Café 日本')
})

test('a string length counted in characters instead of bytes is broken', (t) => {
  // "é" is one character but two bytes.
  t.regex(brokenReason('s:1:"é";'), /not 1 bytes long/)
  t.regex(brokenReason('s:2:"日本";'), /not 2 bytes long/)
})

test('bytes in a Buffer parse like the same text in a string', (t) => {
  t.is(parsed(Buffer.from('s:6:"日本";', 'utf8')), '日本')
  t.deepEqual(json(parsed(Buffer.from(CATALOGRULE_1_ACTIONS))), json(parsed(CATALOGRULE_1_ACTIONS)))
})

test('a string holding quotes, semicolons and braces is read by its length alone', (t) => {
  t.is(parsed('s:1:""";'), '"')
  t.is(parsed('s:7:"a";b:1;";'), 'a";b:1;')
  t.is(parsed('s:0:"";'), '')
})

test('a string whose bytes are not UTF-8 is kept as those bytes', (t) => {
  const bytes = Buffer.concat([Buffer.from('s:3:"'), Buffer.from([0x43, 0x61, 0xe9]), Buffer.from('";')])

  t.deepEqual(parsed(bytes), Buffer.from([0x43, 0x61, 0xe9]))
})

test('S: strings decode \\hh escapes', (t) => {
  t.is(parsed('S:3:"a\\62c";'), 'abc')
})

// --- arrays -------------------------------------------------------------------------------

test('an array keeps its keys in the order stored, int and string alike', (t) => {
  const value = parsed('a:3:{s:1:"b";i:1;i:7;i:2;s:1:"a";i:3;}')

  t.true(value instanceof PhpArray)
  t.deepEqual([...(value as PhpArray).entries()], [['b', 1n], [7n, 2n], ['a', 3n]])
})

test('a string key that is a canonical integer becomes an int key, as PHP stores it', (t) => {
  const value = parsed('a:4:{s:1:"5";s:1:"a";s:2:"05";s:1:"b";s:2:"-3";s:1:"c";s:2:"-0";s:1:"d";}') as PhpArray

  t.deepEqual([...value.entries()].map(([key]) => key), [5n, '05', -3n, '-0'])
})

test('a repeated key replaces the earlier value where it stood', (t) => {
  const value = parsed('a:3:{s:1:"a";i:1;s:1:"b";i:2;s:1:"a";i:3;}') as PhpArray

  t.deepEqual([...value.entries()], [['a', 3n], ['b', 2n]])
})

test('an array key other than an int or a string is broken', (t) => {
  t.regex(brokenReason('a:1:{d:1.5;i:1;}'), /key must be an integer or a string/)
  t.regex(brokenReason('a:1:{N;i:1;}'), /key must be an integer or a string/)
})

// --- objects ------------------------------------------------------------------------------

test('a stdClass object keeps its properties', (t) => {
  const value = parsed('O:8:"stdClass":2:{s:4:"name";s:3:"Tee";s:3:"qty";i:2;}')

  t.true(value instanceof PhpObject)
  t.true((value as PhpObject).isStdClass)
  t.deepEqual([...(value as PhpObject).properties.entries()], [['name', 'Tee'], ['qty', 2n]])
})

test('protected and private property names keep their NUL-marked form', (t) => {
  const value = parsed('O:11:"Varien_Data":2:{s:8:"\0*\0_data";a:0:{}s:16:"\0Varien_Data\0_id";i:4;}') as PhpObject

  t.deepEqual([...value.properties.entries()].map(([key]) => key), ['\0*\0_data', '\0Varien_Data\0_id'])
})

test('an int property name becomes a string, as PHP stores object properties', (t) => {
  const value = parsed('O:8:"stdClass":1:{i:3;s:1:"x";}') as PhpObject

  t.deepEqual([...value.properties.entries()], [['3', 'x']])
})

test('a class name PHP would not accept is broken', (t) => {
  t.regex(brokenReason('O:4:"a-b!":0:{}'), /not a class name/)
  t.regex(brokenReason('O:4:"\\Foo":0:{}'), /not a class name/)
  t.regex(brokenReason('O:0:"":0:{}'), /class name length/)
})

test('a C: object is read past, with a warning that its payload cannot be read', (t) => {
  const result = unserialize('a:1:{i:0;C:11:"ArrayObject":21:{x:i:0;a:0:{};m:a:0:{}}}')

  t.true(result.ok)
  if (!result.ok) return
  const object = (result.value as PhpArray).get(0n) as PhpObject
  t.is(object.className, 'ArrayObject')
  t.is(object.properties.size, 0)
  t.is(object.customPayload?.toString(), 'x:i:0;a:0:{};m:a:0:{}')
  t.regex(result.warnings.join(), /ArrayObject has no unserializer/)
})

test('a C: object whose payload length is wrong is broken', (t) => {
  t.regex(brokenReason('C:3:"Foo":5:{abc}'), /payload/)
})

// --- references ---------------------------------------------------------------------------

test('R:n refers to the nth value, counting values but not keys', (t) => {
  // Value 1 is the array, value 2 is "x" (keys "a" and "b" take no number).
  const value = parsed('a:2:{s:1:"a";s:1:"x";s:1:"b";R:2;}') as PhpArray

  t.is(value.get('b'), 'x')
})

test('r:n gives the same object again', (t) => {
  const value = parsed('a:2:{i:0;O:8:"stdClass":1:{s:1:"a";i:1;}i:1;r:2;}') as PhpArray

  t.is(value.get(1n), value.get(0n))
  t.is(json(value), '[{"a":1},{"a":1}]')
})

test('an r: value takes a number of its own, and an R: value does not', (t) => {
  // Values: 1 the array, 2 the object, 3 its "x", 4 the r:2, then R:3 means "x".
  t.is((parsed('a:3:{i:0;O:8:"stdClass":1:{s:1:"p";s:1:"x";}i:1;r:2;i:2;R:3;}') as PhpArray).get(2n), 'x')
  // Values: 1 the array, 2 "x", (R:2 takes none), 3 "y": R:3 means "y".
  t.is((parsed('a:3:{i:0;s:1:"x";i:1;R:2;i:2;s:1:"y";}') as PhpArray).get(1n), 'x')
  t.is((parsed('a:4:{i:0;s:1:"x";i:1;R:2;i:2;s:1:"y";i:3;R:3;}') as PhpArray).get(3n), 'y')
})

test('a reference to a value that does not exist yet, or at all, is broken', (t) => {
  t.regex(brokenReason('a:1:{i:0;R:5;}'), /does not exist/)
  t.regex(brokenReason('a:1:{i:0;R:0;}'), /does not exist/)
  t.regex(brokenReason('r:1;'), /itself/)
})

test('r: must refer to an object', (t) => {
  t.regex(brokenReason('a:2:{i:0;s:1:"x";i:1;r:2;}'), /must refer to an object/)
})

test('a reference to a value that contains it is broken: JSON cannot hold a cycle', (t) => {
  t.regex(brokenReason('a:1:{i:0;R:1;}'), /recursive/)
  t.regex(brokenReason('O:8:"stdClass":1:{s:4:"self";r:1;}'), /recursive/)
})

// --- broken data --------------------------------------------------------------------------

test('truncated data is broken, wherever it stops', (t) => {
  for (let end = 1; end < CATALOGRULE_1_ACTIONS.length; end++) {
    t.false(unserialize(CATALOGRULE_1_ACTIONS.slice(0, end)).ok, `cut at ${end}`)
  }
})

test('a string longer than announced, or shorter, is broken', (t) => {
  t.regex(brokenReason('s:3:"abcd";'), /not 3 bytes long/)
  t.regex(brokenReason('s:5:"abcd";'), /not 5 bytes long/)
  t.regex(brokenReason('s:50:"abcd";'), /runs past the end/)
})

test('fewer elements than an array announces is broken', (t) => {
  t.regex(brokenReason('a:2:{i:0;s:1:"a";}'), /fewer elements than announced/)
})

test('more elements than an array announces is broken', (t) => {
  t.truthy(brokenReason('a:1:{i:0;s:1:"a";i:1;s:1:"b";}'))
})

test('a missing semicolon or an unknown type letter is broken', (t) => {
  t.truthy(brokenReason('i:5'))
  t.truthy(brokenReason('s:1:"a"'))
  t.regex(brokenReason('x:1;'), /unknown type/)
  t.regex(brokenReason('{"a":1}'), /unknown type/)
})

test('data after a complete value is kept as PHP keeps it, with a warning (PHP 8.3)', (t) => {
  const result = unserialize('a:0:{}junk')

  t.true(result.ok)
  if (!result.ok) return
  t.is(json(result.value), '[]')
  t.regex(result.warnings.join(), /extra data starting at offset 6 of 10 bytes/)
})

test('a broken value reports where it failed', (t) => {
  const result = unserialize('a:1:{i:0;s:5:"abc";}')

  t.false(result.ok)
  if (result.ok) return
  t.is(result.offset, 19)
  t.regex(result.reason, /at offset 19 of 20 bytes/)
})

test('empty data is false, as PHP returns for it, without an error', (t) => {
  t.deepEqual(unserialize(''), {ok: true, value: false, warnings: []})
})

test('nesting is allowed to 4096 levels, as PHP\'s unserialize_max_depth', (t) => {
  t.true(unserialize(nestedArrays(4096)).ok)
  t.regex(brokenReason(nestedArrays(4097)), /deeper than 4096/)
})

// --- serialize ----------------------------------------------------------------------------

test('serialize(unserialize(x)) gives back the real Magento 1 values byte for byte', (t) => {
  for (const sample of REAL_SAMPLES) t.is(serialize(parsed(sample)).toString('utf8'), sample)
})

test('serialize writes every type', (t) => {
  const value = PhpArray.of([
    ['null', null], ['yes', true], ['no', false], ['int', -9223372036854775808n], ['float', 0.1],
    ['text', 'Café 日本 😀'], [0, PhpArray.list(['a'])], ['object', new PhpObject('stdClass', PhpArray.of([['p', 1n]]))],
  ])

  t.is(serialize(value).toString('utf8'), 'a:8:{s:4:"null";N;s:3:"yes";b:1;s:2:"no";b:0;s:3:"int";i:-9223372036854775808;s:5:"float";d:0.1;s:4:"text";s:17:"Café 日本 😀";i:0;a:1:{i:0;s:1:"a";}s:6:"object";O:8:"stdClass":1:{s:1:"p";i:1;}}')
})

test('serialize writes floats as PHP 7.1+ does by default, or with PHP 5\'s 17 digits', (t) => {
  t.is(serialize(1).toString(), 'd:1;')
  t.is(serialize(0.1).toString(), 'd:0.1;')
  t.is(serialize(1e25).toString(), 'd:1.0E+25;')
  t.is(serialize(-0).toString(), 'd:-0;')
  t.is(serialize(Number.POSITIVE_INFINITY).toString(), 'd:INF;')
  t.is(serialize(Number.NaN).toString(), 'd:NAN;')
  t.is(serialize(49.99, {precision: 17}).toString(), 'd:49.990000000000002;')
  t.is(serialize(parsed('d:49.990000000000002;'), {precision: 17}).toString(), 'd:49.990000000000002;')
})

test('serialize writes bytes that are not UTF-8 as they are', (t) => {
  const bytes = Buffer.concat([Buffer.from('s:3:"'), Buffer.from([0x43, 0x61, 0xe9]), Buffer.from('";')])

  t.deepEqual(serialize(parsed(bytes)), bytes)
})

test('serialize writes an object met again as r:n, and round-trips it', (t) => {
  const input = 'a:2:{i:0;O:8:"stdClass":1:{s:1:"a";i:1;}i:1;r:2;}'

  t.is(serialize(parsed(input)).toString(), input)
})

test('serialize keeps protected and private property names and an incomplete class name', (t) => {
  const input = 'O:11:"Varien_Data":2:{s:8:"\0*\0_data";a:0:{}s:16:"\0Varien_Data\0_id";i:4;}'

  t.is(serialize(parsed(input)).toString(), input)
})

test('serialize writes a C: object back with its payload', (t) => {
  const result = unserialize('C:11:"ArrayObject":21:{x:i:0;a:0:{};m:a:0:{}}')

  t.true(result.ok)
  if (result.ok) t.is(serialize(result.value).toString(), 'C:11:"ArrayObject":21:{x:i:0;a:0:{};m:a:0:{}}')
})

// --- json_encode --------------------------------------------------------------------------

test('json_encode of a real condition tree: lists as arrays, "/" escaped, d:100 as 100', (t) => {
  t.is(json(parsed(CATALOGRULE_1_CONDITIONS)), '{"type":"catalogrule\\/rule_condition_combine","attribute":null,"operator":null,"value":"1","is_value_processed":null,"aggregator":"all","conditions":[{"type":"catalogrule\\/rule_condition_product","attribute":"manufacturer","operator":"==","value":"","is_value_processed":false},{"type":"catalogrule\\/rule_condition_product","attribute":"price","operator":"<=","value":100,"is_value_processed":false}]}')
})

test('json_encode writes an array keyed 1..n, not 0..n-1, as an object', (t) => {
  const map = (parsed(DATAFLOW_2_GUI_DATA) as PhpArray).get('map') as PhpArray
  const product = map.get('product') as PhpArray

  t.is(json(product), '{"db":{"1":"store","2":"sku","3":"qty","4":"is_in_stock"},"file":{"1":"store","2":"sku","3":"qty","4":"is_in_stock"}}')
})

test('json_encode writes an empty array as [] and a list out of key order as an object', (t) => {
  t.is(json(parsed('a:0:{}')), '[]')
  t.is(json(parsed('a:2:{i:1;s:1:"b";i:0;s:1:"a";}')), '{"1":"b","0":"a"}')
  t.is(json(parsed('a:2:{i:0;s:1:"a";i:1;s:1:"b";}')), '["a","b"]')
})

test('json_encode escapes non-ASCII as lowercase \\u escapes, emoji as a surrogate pair', (t) => {
  t.is(json('Café'), '"Caf\\u00e9"')
  t.is(json('日本'), '"\\u65e5\\u672c"')
  t.is(json('😀'), '"\\ud83d\\ude00"')
})

test('json_encode escapes quotes, backslashes, slashes and control characters as PHP does', (t) => {
  t.is(json('a"b\\c/d'), '"a\\"b\\\\c\\/d"')
  t.is(json('\n\r\t\b\f'), '"\\n\\r\\t\\b\\f"')
  t.is(json('\u0001\u001f'), '"\\u0001\\u001f"')
  // DEL, <, >, & and ' pass as they are without JSON_HEX_* flags.
  t.is(json('\u007f<>&\''), '"\u007f<>&\'"')
})

test('json_encode writes ints with all their digits', (t) => {
  t.is(json(9007199254740993n), '9007199254740993')
  t.is(json(-9223372036854775808n), '-9223372036854775808')
})

test('json_encode writes floats with Magento 2\'s serialize_precision of 14', (t) => {
  t.is(json(parsed('d:49.990000000000002;')), '49.99')
  t.is(json(parsed('d:12.949999999999999;')), '12.95')
  t.is(json(0.1), '0.1')
  t.is(json(100), '100')
  t.is(json(1 / 3), '0.33333333333333')
  t.is(json(-0), '-0')
})

test('json_encode writes floats in exponent form below 0.0001 and from 10^14 (more digits than 14) up', (t) => {
  t.is(json(0.0001), '0.0001')
  t.is(json(0.00001), '1.0e-5')
  t.is(json(99999999999999), '99999999999999')
  t.is(json(1e14), '1.0e+14')
  t.is(json(123456789012345.6), '1.2345678901235e+14')
  t.is(json(1e15), '1.0e+15')
  t.is(json(1e25), '1.0e+25')
})

test('json_encode rounds a float exactly halfway to 14 digits to the even digit', (t) => {
  // 2^-21 is exactly 4.76837158203125e-7: the 15th digit is a 5 with nothing after it.
  t.is(json(2 ** -21), '4.7683715820312e-7')
  // 2^-22 is exactly 2.384185791015625e-7: 14 digits end in 5 then 6 > 5, so it rounds up.
  t.is(json(2 ** -22), '2.3841857910156e-7')
})

test('json_encode writes a stdClass object\'s properties and an empty one as {}', (t) => {
  t.is(json(parsed('O:8:"stdClass":2:{s:1:"a";i:1;i:2;s:1:"b";}')), '{"a":1,"2":"b"}')
  t.is(json(parsed('O:8:"stdClass":0:{}')), '{}')
})

test('json_encode names an incomplete class first and leaves out protected and private properties', (t) => {
  const value = parsed('O:33:"Mage_Catalog_Model_Product_Option":3:{s:15:"\0*\0_eventPrefix";s:14:"catalog_option";s:5:"title";s:4:"Size";s:37:"\0Mage_Catalog_Model_Product_Option\0_x";i:1;}')

  t.is(json(value), '{"__PHP_Incomplete_Class_Name":"Mage_Catalog_Model_Product_Option","title":"Size"}')
})

test('json_encode writes an empty key as ""', (t) => {
  t.is(json(parsed('a:1:{s:0:"";i:1;}')), '{"":1}')
})

test('json_encode fails on text that is not UTF-8, and on INF and NAN, as PHP\'s does', (t) => {
  const bytes = Buffer.concat([Buffer.from('a:1:{i:0;s:2:"'), Buffer.from([0xc3, 0x28]), Buffer.from('";}')])

  t.regex((phpJsonEncode(parsed(bytes)) as {reason: string}).reason, /not valid UTF-8/)
  t.false(phpJsonEncode(Number.POSITIVE_INFINITY).ok)
  t.false(phpJsonEncode(PhpArray.list([Number.NaN])).ok)
})

test('json_encode allows 512 levels of nesting and fails beyond', (t) => {
  t.true(phpJsonEncode(parsed(nestedArrays(512))).ok)
  t.regex((phpJsonEncode(parsed(nestedArrays(513))) as {reason: string}).reason, /deeper than 512/)
})

test('formatPhpFloat lays digits out as zend_gcvt does', (t) => {
  t.is(formatPhpFloat(1234.5, 14, 'e'), '1234.5')
  t.is(formatPhpFloat(0.000123, 14, 'e'), '0.000123')
  t.is(formatPhpFloat(-2.5e-7, 14, 'e'), '-2.5e-7')
  t.is(formatPhpFloat(12345678901234, 14, 'e'), '12345678901234')
  t.is(formatPhpFloat(1e17, -1, 'E'), '1.0E+17')
  t.is(formatPhpFloat(1e16, -1, 'E'), '10000000000000000')
})

test('a string that starts with a UTF-8 byte-order mark keeps it: json_encode writes \\ufeff, and as a key it stays apart from the key without it', (t) => {
  const bom = Buffer.from([0xef, 0xbb, 0xbf])
  const value = unserialize(Buffer.concat([Buffer.from('s:4:"'), bom, Buffer.from('a";')]))
  t.true(value.ok)
  if (!value.ok) return
  t.deepEqual(phpJsonEncode(value.value), {ok: true, json: '"\\ufeffa"'})
  const keys = unserialize(Buffer.concat([Buffer.from('a:2:{s:4:"'), bom, Buffer.from('5";i:1;s:1:"5";i:2;}')]))
  t.true(keys.ok)
  if (!keys.ok) return
  t.deepEqual(phpJsonEncode(keys.value), {ok: true, json: '{"\\ufeff5":1,"5":2}'})
})
