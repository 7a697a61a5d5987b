// Adds up vitest's and Playwright's JSON reports and the pass/fail of the typecheck and build
// stages, prints "N passed, N failed, N skipped", and exits non-zero on any failure.
import { existsSync, readFileSync } from 'node:fs'

const read = (p) => (existsSync(p) ? JSON.parse(readFileSync(p, 'utf8')) : null)
let passed = 0
let failed = 0
let skipped = 0
const notes = []

const stages = existsSync('test-results/stages.txt')
  ? readFileSync('test-results/stages.txt', 'utf8').trim().split('\n').map((l) => l.split(' '))
  : []
for (const [name, result] of stages) {
  if (name === 'typecheck' || name === 'build') {
    if (result === 'pass') passed++
    else {
      failed++
      notes.push(`${name} failed`)
    }
  }
}

const vitest = read('test-results/vitest.json')
if (vitest) {
  passed += vitest.numPassedTests
  failed += vitest.numFailedTests + (vitest.numFailedTestSuites ?? 0) - countSuitesWithFailedTests(vitest)
  skipped += (vitest.numPendingTests ?? 0) + (vitest.numTodoTests ?? 0)
} else {
  failed++
  notes.push('vitest produced no report')
}

const e2e = read('test-results/e2e.json')
if (e2e?.stats) {
  passed += e2e.stats.expected + (e2e.stats.flaky ?? 0)
  failed += e2e.stats.unexpected
  skipped += e2e.stats.skipped
  for (const err of e2e.errors ?? []) {
    failed++
    notes.push(`playwright: ${String(err.message).split('\n')[0]}`)
  }
} else {
  failed++
  notes.push('playwright produced no report')
}

function countSuitesWithFailedTests(report) {
  // A suite that failed only because its tests failed is already counted through its tests.
  return (report.testResults ?? []).filter((s) => s.status === 'failed' && (s.assertionResults ?? []).some((a) => a.status === 'failed')).length
}

for (const n of notes) console.log(`note: ${n}`)
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`)
process.exit(failed > 0 ? 1 : 0)
