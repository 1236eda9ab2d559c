#!/usr/bin/env node
// m2-migrate's entry point. `-v`, `-vv` and `-vvv` (the DMT's verbosity switches) become
// --verbosity=N before oclif parses the command line.
import {execute} from '@oclif/core'
import {normalizeVerbosityArgs} from '../dist/src/cli/verbosity-args.js'

await execute({dir: import.meta.url, args: normalizeVerbosityArgs(process.argv.slice(2))})
