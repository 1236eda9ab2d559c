#!/usr/bin/env -S node --max-old-space-size=1024 --max-semi-space-size=32
// Heap flags, measured on the bench's transforming run (1M rows, 2.1M in all):
// --max-old-space-size=1024: node sizes its heap to the machine (4 GB on 24 GB of RAM) and lets
//   it grow lazily towards that, so the run peaked at ~270 MB resident where its live data is
//   ~30 MB; with a 1 GB limit it peaks at ~185 MB, as fast. Pages of rows of many megabytes each
//   still fit (blob values live outside this heap).
// --max-semi-space-size=32: a young generation that outlasts a page in flight, so fewer rows are
//   copied into the old generation to be collected there: the run takes 15% less time for
//   ~25 MB more (64 would gain 6% more for another 65 MB).
// `node bin/run.js` skips this line: pass the flags yourself there.
// m2-migrate's entry point. `-v`, `-vv` and `-vvv` (the DMT's verbosity switches) become
// --verbosity=N before oclif parses the command line.
import {execute} from '@oclif/core'
import {normalizeVerbosityArgs} from '../dist/src/cli/verbosity-args.js'

await execute({dir: import.meta.url, args: normalizeVerbosityArgs(process.argv.slice(2))})
