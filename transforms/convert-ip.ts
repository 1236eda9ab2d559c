import {isIPv4, isIPv6} from 'node:net'
import {type HandlerDefinition, requireField, type Value} from './handler.js'

/** `192.168.1.10` → 3232235786, as PHP's ip2long on 64-bit gives it (unsigned). */
function ipv4Number(octets: readonly number[]): number {
  return octets.reduce((total, octet) => total * 256 + octet, 0)
}

/**
 * The value as the DMT converts it: an IPv4 address in text becomes its number; four bytes (an
 * address packed by inet_pton, as Magento 1.9 stores it) become the number of the address they
 * pack (any four bytes, "abcd" and 1234 too, as PHP's inet_ntop takes them). Everything else becomes
 * 0: IPv6 addresses in text or packed in 16 bytes (they do not fit the integer column), NULL, and
 * text that is no address.
 */
export function ipToNumber(value: Value): number {
  // PHP sees bytes: text counts in its UTF-8 bytes, so "äbc" is four bytes like a packed address.
  // Numbers are their decimal text to PHP, so four digits are four bytes too.
  const bytes = Buffer.isBuffer(value) ? value : value === null || typeof value === 'boolean' ? undefined : Buffer.from(String(value), 'utf8')
  if (!bytes) return 0
  const text = bytes.toString('latin1')
  // PHP's IPv4 check refuses leading zeros ("010.0.0.1"), as Node's isIPv4 does.
  if (isIPv4(text)) return ipv4Number(text.split('.').map(Number))
  // PHP validates IPv6 without zone ids; such text is an address, so not read as packed bytes.
  if (isIPv6(text) && !text.includes('%')) return 0
  if (bytes.length === 4) return ipv4Number([...bytes])
  return 0
}

/** ConvertIp: turns an IP address (text, or packed bytes) into the integer Magento 2 stores. */
export const convertIp: HandlerDefinition = {
  name: 'ConvertIp',
  params: {},
  create({field}) {
    return {
      handle(record) {
        requireField(record, field)
        record.set(field, ipToNumber(record.get(field)))
      },
    }
  },
}
