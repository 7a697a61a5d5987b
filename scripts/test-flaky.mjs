// Finds flaky tests: runs the vitest and Playwright suites again and again, optionally while a CPU
// burner keeps every core busy, and reports each test that failed and how often.
//
//   npm run test:flaky                          10 rounds of both suites on this machine as it is
//   npm run test:flaky -- --busy --runs 5       5 rounds while every core is kept busy
//   npm run test:flaky -- --only e2e --repeat-each 5 --grep "shell sessions"
//   npm run test:flaky -- --only vitest test/pty.test.ts
//
// Nothing is retried (vitest --retry=0, Playwright --retries=0). Reports are kept under
// test-results/flaky/. Exits non-zero when any test failed in any round.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'

const args = process.argv.slice(2)
const opts = { runs: 10, busy: false, only: null, repeatEach: 1, grep: null, build: true, files: [] }
for (let i = 0; i < args.length; i++) {
  const a = args[i]
  if (a === '--runs') opts.runs = Number(args[++i])
  else if (a === '--busy') opts.busy = true
  else if (a === '--only') opts.only = args[++i]
  else if (a === '--repeat-each') opts.repeatEach = Number(args[++i])
  else if (a === '--grep') opts.grep = args[++i]
  else if (a === '--no-build') opts.build = false
  else if (a === '--help') {
    console.log(
      readFileSync(new URL(import.meta.url), 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('//'))
        .map((l) => l.slice(3))
        .join('\n')
    )
    process.exit(0)
  } else opts.files.push(a)
}
if (!(opts.runs >= 1) || !(opts.repeatEach >= 1) || (opts.only && !['vitest', 'e2e'].includes(opts.only))) {
  console.error('usage: test-flaky [--runs N] [--busy] [--only vitest|e2e] [--repeat-each N] [--grep RE] [--no-build] [files…]')
  process.exit(2)
}

const OUT = 'test-results/flaky'
rmSync(OUT, { recursive: true, force: true })
mkdirSync(OUT, { recursive: true })

if (opts.build && opts.only !== 'vitest') {
  const b = spawnSync('npx', ['electron-vite', 'build'], { stdio: 'inherit' })
  if (b.status !== 0) process.exit(1)
}

/** Keeps every core busy: stress-ng when installed, otherwise one spinning node per core. */
function startBurner() {
  const cpus = availableParallelism()
  const hasStress = spawnSync('sh', ['-c', 'command -v stress-ng'], { stdio: 'ignore' }).status === 0
  const children = hasStress
    ? [spawn('stress-ng', ['--cpu', String(cpus), '--quiet'], { stdio: 'ignore', detached: true })]
    : Array.from({ length: cpus }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore', detached: true }))
  console.log(`busy: ${hasStress ? 'stress-ng' : 'node spinners'} on ${cpus} cores`)
  return () => {
    for (const c of children) {
      try {
        process.kill(-c.pid, 'SIGKILL') // the whole group: stress-ng's workers too
      } catch {}
    }
  }
}

function run(cmd, cmdArgs, env = {}) {
  return new Promise((done) => {
    const child = spawn(cmd, cmdArgs, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...env } })
    child.once('exit', (code) => done(code ?? 1))
  })
}

const failures = new Map() // "suite › test" -> [{ round, message }]
const note = (name, round, message) => {
  if (!failures.has(name)) failures.set(name, [])
  failures.get(name).push({
    round,
    message:
      String(message ?? '')
        .split('\n')
        .find((l) => l.trim()) ?? ''
  })
}
const read = (p) => (existsSync(p) ? JSON.parse(readFileSync(p, 'utf8')) : null)
const counts = { vitest: { passed: 0, failed: 0 }, e2e: { passed: 0, failed: 0 } }

async function vitestRound(round) {
  const file = join(OUT, `vitest-${round}.json`)
  const files = opts.files.filter((f) => f.startsWith('test/'))
  await run('npx', [
    'vitest',
    'run',
    '--retry=0',
    '--reporter=dot',
    '--reporter=json',
    `--outputFile.json=${file}`,
    ...(opts.grep ? ['-t', opts.grep] : []),
    ...files
  ])
  const report = read(file)
  if (!report) return note('vitest (no report)', round, 'vitest wrote no report')
  counts.vitest.passed += report.numPassedTests
  counts.vitest.failed += report.numFailedTests
  for (const suite of report.testResults ?? []) {
    const rel = suite.name.replace(`${process.cwd()}/`, '')
    const failedTests = (suite.assertionResults ?? []).filter((a) => a.status === 'failed')
    for (const a of failedTests) note(`${rel} › ${a.fullName}`, round, a.failureMessages?.[0])
    if (suite.status === 'failed' && failedTests.length === 0) note(`${rel} (outside its tests)`, round, suite.message)
  }
}

async function e2eRound(round) {
  const file = join(OUT, `e2e-${round}.json`)
  const files = opts.files.filter((f) => f.startsWith('e2e/'))
  await run(
    'npx',
    [
      'playwright',
      'test',
      '--retries=0',
      '--reporter=dot,json',
      `--repeat-each=${opts.repeatEach}`,
      ...(opts.grep ? ['--grep', opts.grep] : []),
      ...files
    ],
    { PLAYWRIGHT_JSON_OUTPUT_FILE: file }
  )
  const report = read(file)
  if (!report) return note('playwright (no report)', round, 'playwright wrote no report')
  counts.e2e.passed += report.stats.expected
  counts.e2e.failed += report.stats.unexpected + (report.stats.flaky ?? 0)
  const walk = (suite, path) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        for (const r of t.results ?? [])
          if (r.status !== 'passed' && r.status !== 'skipped')
            note(`${spec.file} › ${[...path, spec.title].join(' › ')}`, round, r.error?.message ?? r.status)
      }
    }
    for (const s of suite.suites ?? []) walk(s, s.title && !s.title.endsWith('.ts') ? [...path, s.title] : path)
  }
  for (const s of report.suites ?? []) walk(s, [])
  for (const err of report.errors ?? []) note('playwright (outside tests)', round, err.message)
}

const stopBurner = opts.busy ? startBurner() : () => {}
process.on('SIGINT', () => {
  stopBurner()
  process.exit(130)
})
const started = Date.now()
try {
  for (let round = 1; round <= opts.runs; round++) {
    console.log(`\n=== round ${round} of ${opts.runs}${opts.busy ? ' (busy)' : ''}`)
    if (opts.only !== 'e2e') await vitestRound(round)
    if (opts.only !== 'vitest') await e2eRound(round)
  }
} finally {
  stopBurner()
}

const lines = [`${opts.runs} rounds${opts.busy ? ', every core busy' : ''}, ${Math.round((Date.now() - started) / 1000)} s`]
for (const [suite, c] of Object.entries(counts)) if (c.passed + c.failed > 0) lines.push(`${suite}: ${c.passed} passed, ${c.failed} failed`)
if (failures.size === 0) lines.push('no test failed')
for (const [name, list] of [...failures].sort((a, b) => b[1].length - a[1].length)) {
  lines.push(`FAILED ${list.length}/${opts.runs}: ${name}`)
  for (const f of list) lines.push(`    round ${f.round}: ${f.message}`)
}
writeFileSync(join(OUT, 'summary.txt'), `${lines.join('\n')}\n`)
console.log(`\n${lines.join('\n')}`)
process.exit(failures.size === 0 ? 0 : 1)
