// Reports each stage of `npm test` (typecheck, build, vitest, e2e), then adds up the tests in
// vitest's and Playwright's JSON reports and prints "N passed, N failed, N skipped". Only tests are
// counted, plus one failure for each problem no failed test accounts for: a stage that failed on its
// own (a type error, a lint violation, a broken build, a suite that could not load) is reported by
// name and counted, so the last line never reads as clean when something failed.
import { existsSync, readFileSync } from 'node:fs'

const read = (p) => (existsSync(p) ? JSON.parse(readFileSync(p, 'utf8')) : null)
let passed = 0
let failed = 0
let skipped = 0
const problems = []

const stages = existsSync('test-results/stages.txt')
  ? readFileSync('test-results/stages.txt', 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(' '))
  : []
for (const [name, result] of stages) {
  console.log(`stage ${name}: ${result === 'pass' ? 'passed' : 'FAILED'}`)
  // vitest's and Playwright's own failures are counted test by test below.
  if (result !== 'pass' && name !== 'vitest' && name !== 'e2e') problems.push(`stage ${name} failed`)
}

const vitest = read('test-results/vitest.json')
if (vitest) {
  passed += vitest.numPassedTests
  failed += vitest.numFailedTests
  skipped += (vitest.numPendingTests ?? 0) + (vitest.numTodoTests ?? 0)
  // A file that failed to load (or failed in a hook) has no failed test to count: name it.
  for (const suite of vitest.testResults ?? []) {
    if (suite.status === 'failed' && !(suite.assertionResults ?? []).some((a) => a.status === 'failed')) {
      problems.push(`vitest: ${suite.name} failed outside its tests: ${String(suite.message ?? '').split('\n')[0]}`)
    }
  }
} else {
  problems.push('vitest produced no report')
}

const e2e = read('test-results/e2e.json')
if (e2e?.stats) {
  passed += e2e.stats.expected
  failed += e2e.stats.unexpected + (e2e.stats.flaky ?? 0) // retries are 0, so nothing can pass on a second try
  skipped += e2e.stats.skipped
  for (const err of e2e.errors ?? []) problems.push(`playwright: ${String(err.message).split('\n')[0]}`)
} else {
  problems.push('playwright produced no report')
}

for (const p of problems) console.log(`problem: ${p}`)
failed += problems.length
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`)
process.exit(failed > 0 || problems.length > 0 ? 1 : 0)
