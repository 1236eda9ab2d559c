#!/usr/bin/env -S node --max-old-space-size=1024
// The heap limit: node sizes its heap to the machine (4 GB on 24 GB of RAM) and lets it grow
// lazily towards that, so a long migration peaked at ~270 MB resident where its live data is
// ~30 MB; with a 1 GB limit the same run peaks at ~175 MB and is as fast, and pages of rows
// of many megabytes each still fit (blob values live outside this heap). `node bin/run.js`
// skips this line: pass the flag yourself there.
// m2-migrate's entry point. `-v`, `-vv` and `-vvv` (the DMT's verbosity switches) become
// --verbosity=N before oclif parses the command line.
import {execute} from '@oclif/core'
import {normalizeVerbosityArgs} from '../dist/src/cli/verbosity-args.js'

await execute({dir: import.meta.url, args: normalizeVerbosityArgs(process.argv.slice(2))})
