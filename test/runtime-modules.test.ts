// What a packaged app ships: only the production dependencies' closure goes into its node_modules.
// These tests prove that closure is enough for the built core and CLI, and holds no renderer package.
import { execFileSync, spawn } from 'node:child_process'
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { join, relative, resolve, sep } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
// @ts-expect-error: a plain .mjs script, also run on its own
import { excludedPaths, installOnlyModules, installOnlyPattern, isExcluded, shippedModules } from '../scripts/runtime-modules.mjs'
import { cleanupTemp, tempDir } from './helpers/fixtures'

const ROOT = resolve(__dirname, '..')
const OUT_MAIN = join(ROOT, 'out', 'main')
afterAll(cleanupTemp)

const jsFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? jsFiles(join(dir, e.name)) : e.name.endsWith('.js') ? [join(dir, e.name)] : []
  )

/** The package names the built main-process files require or import at run time. */
function requiredPackages(): Set<string> {
  const names = new Set<string>()
  for (const file of jsFiles(OUT_MAIN)) {
    for (const m of readFileSync(file, 'utf8').matchAll(/(?:require|import)\("([^".][^"]*)"\)/g)) {
      const spec = m[1]!
      if (spec.startsWith('node:') || builtinModules.includes(spec.split('/')[0]!)) continue
      names.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!)
    }
  }
  return names
}

describe.runIf(existsSync(join(OUT_MAIN, 'serve.js')))('the modules a packaged app ships', () => {
  const shipped = (shippedModules() as string[]).map((at) => at.slice(at.lastIndexOf('node_modules/') + 'node_modules/'.length))

  it('leaves out the renderer packages Vite already bundled', () => {
    for (const bundled of [
      'react',
      'react-dom',
      'zustand',
      'monaco-editor',
      '@xterm/xterm',
      '@tanstack/react-virtual',
      'react-markdown',
      'strip-ansi'
    ])
      expect(shipped).not.toContain(bundled)
  })

  it('holds every package the built core, shell and CLI require (electron aside: the app provides it)', () => {
    const needed = [...requiredPackages()].filter((n) => n !== 'electron')
    expect(needed.length).toBeGreaterThanOrEqual(3)
    expect(needed.filter((n) => !shipped.includes(n))).toEqual([])
  })

  it("leaves out what sqlite3 needs only to install (prebuild-install, node-gyp, tar), in electron-builder's config too", () => {
    const installOnly = (installOnlyModules() as string[]).map((at) => at.slice('node_modules/'.length))
    expect(installOnly).toEqual(expect.arrayContaining(['prebuild-install', 'node-gyp', 'tar', 'sqlite3/node_modules/node-addon-api']))
    expect(shipped).toEqual(expect.arrayContaining(['sqlite3', 'bindings', 'file-uri-to-path']))
    expect(shipped.filter((name) => installOnly.includes(name))).toEqual([])
    // package.json's build.files must leave out exactly these: `node scripts/runtime-modules.mjs --patterns` prints the line.
    const files = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { build: { files: string[] } }).build.files
    expect(files).toContain(installOnlyPattern())
    const excluded = excludedPaths() as string[]
    for (const at of shippedModules() as string[]) expect(isExcluded(at, excluded), at).toBe(false)
  })

  it('runs the CLI, serves the app and searches from a copy holding only the shipped modules and files', async () => {
    const app = tempDir('skein-packaged-')
    cpSync(join(ROOT, 'out'), join(app, 'out'), { recursive: true })
    const excluded = excludedPaths() as string[]
    const shippedFile = (path: string) => !isExcluded(relative(ROOT, path).split(sep).join('/'), excluded)
    for (const at of shippedModules() as string[])
      cpSync(join(ROOT, at), join(app, at), { recursive: true, dereference: true, filter: shippedFile })
    // Nothing built on this machine is left for the copy to fall back on: only what ships.
    expect(existsSync(join(app, 'node_modules/sqlite3/deps'))).toBe(false)
    expect(existsSync(join(app, 'node_modules/sqlite3/node_modules/node-addon-api'))).toBe(false)
    writeFileSync(join(app, 'package.json'), readFileSync(join(ROOT, 'package.json')))
    const home = tempDir('skein-packaged-home-')
    const env = { ...process.env, SKEIN_HOME: home, NODE_PATH: '' }
    expect(execFileSync(process.execPath, [join(app, 'out/main/cli.js'), '--help'], { env, encoding: 'utf8' })).toMatch(/skein/i)
    const child = spawn(process.execPath, [join(app, 'out/main/serve.js'), '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let log = ''
    try {
      const url = await new Promise<string>((done, fail) => {
        const look = (d: Buffer) => {
          log += d.toString()
          const m = /Skein is serving at (\S+)/.exec(log)
          if (m) done(m[1]!)
        }
        child.stdout.on('data', look)
        child.stderr.on('data', look)
        child.once('exit', (code) => fail(new Error(`the copy's core exited (${code}):\n${log}`)))
      })
      const page = await fetch(url)
      expect(page.status).toBe(200)
      expect(await page.text()).toContain('<div id="root">')
      // Search works from the shipped files alone: sqlite3 loads, with FTS5.
      const out = execFileSync(process.execPath, [join(app, 'out/main/cli.js'), 'search', 'anything', '--json'], { env, encoding: 'utf8' })
      expect(JSON.parse(out)).toMatchObject({ results: [], index: { state: 'ready' } })
    } finally {
      child.kill()
    }
  }, 120_000)
})
