import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { Environment, type EnvironmentInput } from '../src/shared/environment'
import { importClaudeCode } from '../src/main/core/environment/importers/claude-code'
import { importConductor } from '../src/main/core/environment/importers/conductor'
import { importCursor } from '../src/main/core/environment/importers/cursor'
import { detectImports } from '../src/main/core/environment/importers/detect'
import { importDevcontainer } from '../src/main/core/environment/importers/devcontainer'
import { parseJsonc } from '../src/main/core/environment/jsonc'

const FIXTURES = join(__dirname, 'fixtures/environments')
const expected = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')) as Record<
  string,
  { setup?: number; copy?: number; share?: number; run?: boolean; archive?: boolean }
>
const read = (rel: string) => readFileSync(join(FIXTURES, rel), 'utf8')
const env = (input: EnvironmentInput) => Environment.parse(input)

function imported(rel: string): Environment {
  const [format] = rel.split('/')
  const text = read(rel)
  const r =
    format === 'conductor'
      ? importConductor(text)
      : format === 'cursor'
        ? importCursor(text, { platform: 'linux' })
        : format === 'devcontainer'
          ? importDevcontainer(text)
          : rel.endsWith('.worktreeinclude')
            ? importClaudeCode({ worktreeInclude: text })
            : importClaudeCode({ settings: text })
  if (!r.ok) throw new Error(r.error.message)
  return env(r.value.environment)
}

describe('importers on real files from public repositories', () => {
  const files = Object.keys(expected)
  it('has at least four real files of each format, each counted by hand', () => {
    for (const format of ['conductor', 'cursor', 'claude', 'devcontainer']) {
      const onDisk = readdirSync(join(FIXTURES, format))
      expect(onDisk.length, format).toBeGreaterThanOrEqual(4)
      for (const f of onDisk) expect(files, `${format}/${f} has no expected counts`).toContain(`${format}/${f}`)
    }
  })
  for (const rel of files) {
    it(rel, () => {
      const e = imported(rel)
      const want = expected[rel]!
      if (want.setup !== undefined) expect(e.setup).toHaveLength(want.setup)
      if (want.copy !== undefined) expect(e.copy).toHaveLength(want.copy)
      if (want.share !== undefined) expect(e.share).toHaveLength(want.share)
      if (want.run !== undefined) expect(e.run !== null).toBe(want.run)
      if (want.archive !== undefined) expect(e.archive !== null).toBe(want.archive)
    })
  }
  it('keeps commands verbatim (Conductor multi-line scripts, Cursor shell lines, dev container named commands)', () => {
    expect(imported('conductor/BugenZhao__MNGA.json').setup[0]!.split('\n')).toHaveLength(4)
    expect(imported('conductor/GregorStocks__xmage.json')).toMatchObject({
      run: { command: 'make ai-harness' },
      archive: './scripts/conductor-archive.sh'
    })
    expect(imported('cursor/Arize-ai__phoenix.json').setup[1]).toBe('cd app')
    expect(imported('cursor/BasedHardware__omi.json').setup[0]).toBe('make setup')
    expect(imported('devcontainer/microsoft__TypeScript.json').setup).toEqual([
      'sudo npm install -g hereby; npm ci',
      'go install github.com/google/pprof@latest',
      'sudo apt install graphviz'
    ])
    expect(imported('claude/Aquaveo__xmscore.worktreeinclude').copy).toContain('**/CMakeUserPresets.json')
  })
  it('says what it left out', () => {
    const dd = importCursor(read('cursor/DataDog__dd-trace-js.json'), { platform: 'linux' })
    expect(dd.ok && dd.value.notes.join(' ')).toContain('scripts')
    const omiWin = importCursor(read('cursor/BasedHardware__omi.json'), { platform: 'win32' })
    expect(omiWin.ok && omiWin.value.environment.setup?.[1]).toContain('Test-Path')
    const mnga = importConductor(read('conductor/BugenZhao__MNGA.json'))
    expect(mnga.ok && mnga.value.notes.join(' ')).toContain('nonconcurrent')
  })
})

describe('each imported format gives the same environment as written by hand', () => {
  it('Conductor', () => {
    const r = importConductor(JSON.stringify({ scripts: { setup: 'npm ci', run: 'npm run dev -- --port $PORT', archive: 'rm -rf tmp' } }))
    expect(r.ok && env(r.value.environment)).toEqual(
      env({ setup: ['npm ci'], run: { command: 'npm run dev -- --port $PORT' }, archive: 'rm -rf tmp' })
    )
  })
  it('Cursor: array, string command, and script path', () => {
    const a = importCursor(JSON.stringify({ 'setup-worktree': ['npm ci', '# note', '', 'cp $ROOT_WORKTREE_PATH/.env .env'] }), {
      platform: 'linux'
    })
    expect(a.ok && env(a.value.environment)).toEqual(env({ setup: ['npm ci', 'cp $ROOT_WORKTREE_PATH/.env .env'] }))
    const s = importCursor(JSON.stringify({ 'setup-worktree': 'npm ci' }), { platform: 'linux', scriptExists: () => false })
    expect(s.ok && env(s.value.environment)).toEqual(env({ setup: ['npm ci'] }))
    const p = importCursor(JSON.stringify({ 'setup-worktree': 'setup.sh' }), {
      platform: 'linux',
      scriptExists: (rel) => rel === '.cursor/setup.sh'
    })
    expect(p.ok && env(p.value.environment)).toEqual(env({ setup: ['sh .cursor/setup.sh'] }))
  })
  it('Claude Code: .worktreeinclude and worktree.symlinkDirectories', () => {
    const r = importClaudeCode({
      worktreeInclude: '# secrets\n.env\n.env.local\n\n',
      settings: '{ "worktree": { "symlinkDirectories": ["node_modules", ".venv", "../escape"] }, }'
    })
    expect(r.ok && env(r.value.environment)).toEqual(
      env({
        copy: ['.env', '.env.local'],
        share: [
          { path: 'node_modules', mode: 'symlink' },
          { path: '.venv', mode: 'symlink' }
        ]
      })
    )
    expect(r.ok && r.value.notes.join(' ')).toContain('../escape')
  })
  it('dev container: string, array and object forms, in JSONC', () => {
    const s = importDevcontainer('// c\n{ "postCreateCommand": "npm ci", /* x */ }')
    expect(s.ok && env(s.value.environment)).toEqual(env({ setup: ['npm ci'] }))
    const a = importDevcontainer('{ "postCreateCommand": ["npm", "install", "--prefix", "my app"], }')
    expect(a.ok && env(a.value.environment)).toEqual(env({ setup: ["npm install --prefix 'my app'"] }))
    const o = importDevcontainer('{ "postCreateCommand": { "deps": "npm ci", "db": ["npm", "run", "migrate"], }, }')
    expect(o.ok && env(o.value.environment)).toEqual(env({ setup: ['npm ci', 'npm run migrate'] }))
  })
})

describe('JSONC', () => {
  it('keeps // and /* inside strings, drops comments and trailing commas', () => {
    expect(parseJsonc('{"url": "http://x//y", "g": "/* not */", // c\n "a": [1,2,],}')).toEqual({
      ok: true,
      value: { url: 'http://x//y', g: '/* not */', a: [1, 2] }
    })
    expect(parseJsonc('{"a": "unterminated').ok).toBe(false)
  })
})

describe('detection in a checkout', () => {
  const dir = mkdtempSync(join(tmpdir(), 'skein-detect-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  it('finds every format present, and reports a broken file without failing the others', async () => {
    writeFileSync(join(dir, 'conductor.json'), read('conductor/GregorStocks__xmage.json'))
    mkdirSync(join(dir, '.cursor'))
    writeFileSync(join(dir, '.cursor/worktrees.json'), '{ not json')
    writeFileSync(join(dir, '.worktreeinclude'), '.env\n')
    mkdirSync(join(dir, '.devcontainer'))
    writeFileSync(join(dir, '.devcontainer/devcontainer.json'), read('devcontainer/microsoft__TypeScript.json'))
    const found = await detectImports(dir)
    expect(found.map((f) => f.format)).toEqual(['conductor', 'cursor', 'claude', 'devcontainer'])
    expect(found[1]).toMatchObject({ format: 'cursor', error: expect.stringContaining('not valid JSON') })
    expect(found[2]).toMatchObject({ files: ['.worktreeinclude'], environment: { copy: ['.env'] } })
  })
})
