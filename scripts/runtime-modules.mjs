#!/usr/bin/env node
// What a packaged app ships in node_modules: the closure of package.json's `dependencies` in the
// lockfile (electron-builder copies exactly the production tree). Renderer packages are bundled by
// Vite into out/renderer, so they belong in devDependencies and out of this list.
// Run: node scripts/runtime-modules.mjs  (prints the shipped packages and their size)
import { readFileSync, readdirSync, lstatSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** The lockfile's install path of `name` as required from the package installed at `from` (node's lookup, walking up). */
function resolveIn(packages, from, name) {
  let base = from
  for (;;) {
    const candidate = `${base ? `${base}/` : ''}node_modules/${name}`
    if (packages[candidate]) return candidate
    if (!base) return null
    const cut = base.lastIndexOf('/node_modules/')
    base = cut < 0 ? '' : base.slice(0, cut)
  }
}

/** Install paths (`node_modules/x`, nested ones too) of everything `roots` need at run time, optional dependencies included. */
export function runtimeClosure(roots, root = ROOT) {
  const { packages } = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'))
  const seen = new Set()
  const queue = roots.map((name) => resolveIn(packages, '', name)).filter(Boolean)
  while (queue.length) {
    const at = queue.pop()
    if (seen.has(at)) continue
    seen.add(at)
    const p = packages[at]
    for (const name of Object.keys({ ...p.dependencies, ...p.optionalDependencies, ...p.peerDependencies })) {
      const found = resolveIn(packages, at, name)
      if (found) queue.push(found)
    }
  }
  return [...seen].sort()
}

/** The production dependencies' closure, as package.json declares them today. */
export function shippedModules(root = ROOT) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
  return runtimeClosure(Object.keys(pkg.dependencies ?? {}), root)
}

/** Bytes on disk of one installed package, without its own nested node_modules (they are counted on their own). */
export function packageBytes(dir) {
  let total = 0
  const walk = (d) => {
    for (const entry of readdirSync(d)) {
      const path = join(d, entry)
      const st = lstatSync(path)
      if (st.isDirectory()) {
        if (entry !== 'node_modules') walk(path)
      } else total += st.size
    }
  }
  walk(dir)
  return total
}

const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const shipped = shippedModules()
  const size = shipped.reduce((sum, at) => sum + packageBytes(join(ROOT, at)), 0)
  for (const at of shipped) console.log(`  ${at.replace(/^node_modules\//, '')}`)
  console.log(`${shipped.length} packages shipped in the app's node_modules: ${mb(size)}`)
  // Before the renderer's packages moved to devDependencies, they were shipped as well.
  const renderer = [
    'react',
    'react-dom',
    'zustand',
    'monaco-editor',
    '@tanstack/react-virtual',
    '@xterm/xterm',
    '@xterm/addon-fit',
    '@xterm/addon-search',
    '@xterm/addon-unicode11',
    '@xterm/addon-web-links',
    '@xterm/addon-webgl'
  ]
  const before = runtimeClosure([...Object.keys(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).dependencies), ...renderer])
  const beforeSize = before.reduce((sum, at) => sum + packageBytes(join(ROOT, at)), 0)
  console.log(`with the bundled renderer packages as dependencies (before): ${before.length} packages, ${mb(beforeSize)}`)
}
