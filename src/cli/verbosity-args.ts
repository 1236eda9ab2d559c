/** `-v` / `-vv` / `-vvv` → `--verbosity=1|2|3`; other arguments are kept as they are. */
export function normalizeVerbosityArgs(args: readonly string[]): string[] {
  const out: string[] = []
  for (const arg of args) {
    if (arg === '--') {
      out.push(...args.slice(args.indexOf(arg)))
      return out
    }
    const match = /^-(v+)$/.exec(arg)
    if (match) out.push(`--verbosity=${match[1].length}`)
    else if (arg === '--verbose') out.push('--verbosity=1')
    else out.push(arg)
  }
  return out
}
