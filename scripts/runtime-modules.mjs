#!/usr/bin/env node
// What a packaged app ships in node_modules: the closure of package.json's `dependencies` in the
// lockfile (electron-builder copies exactly the production tree). Renderer packages are bundled by
// Vite into out/renderer, so they belong in devDependencies and out of this list.
// Run: node scripts/runtime-modules.mjs  (prints the shipped packages and their size)
import { readFileSync, readdirSync, lstatSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/**
 * Dependencies a package declares but needs only to install (fetch its prebuilt binary, or compile one), never
 * at run time: the app leaves them out. package.json's build.files excludes them (`--patterns` prints the line).
 */
export const INSTALL_ONLY = { sqlite3: ['prebuild-install', 'node-gyp', 'tar', 'node-addon-api'] }

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

/**
 * Install paths (`node_modules/x`, nested ones too) of everything `roots` need at run time, optional dependencies
 * included, leaving out the edges `cut` names (a package's install-time helpers).
 */
export function runtimeClosure(roots, root = ROOT, cut = INSTALL_ONLY) {
  const { packages } = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'))
  const seen = new Set()
  const queue = roots.map((name) => resolveIn(packages, '', name)).filter(Boolean)
  while (queue.length) {
    const at = queue.pop()
    if (seen.has(at)) continue
    seen.add(at)
    const p = packages[at]
    const skip = cut[at.slice(at.lastIndexOf('node_modules/') + 'node_modules/'.length)] ?? []
    for (const name of Object.keys({ ...p.dependencies, ...p.optionalDependencies, ...p.peerDependencies })) {
      if (skip.includes(name)) continue
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

/** The install paths a full install holds but the app leaves out: reached only through an INSTALL_ONLY edge. */
export function installOnlyModules(root = ROOT) {
  const roots = Object.keys(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).dependencies ?? {})
  const shipped = new Set(runtimeClosure(roots, root))
  return runtimeClosure(roots, root, {}).filter((at) => !shipped.has(at))
}

/** The build.files pattern (electron-builder) that leaves the install-only packages out of the app. */
export function installOnlyPattern(root = ROOT) {
  const out = installOnlyModules(root)
  const tops = out.filter((at) => !out.some((other) => at.startsWith(`${other}/`)))
  return `!node_modules/{${tops.map((at) => at.slice('node_modules/'.length)).join(',')}}/**`
}

/**
 * The paths (relative to the app, `node_modules/...`) package.json's build.files leaves out of node_modules. Only
 * the form `!node_modules/<path or {a,b}>/**` is understood; anything else under node_modules is an error.
 */
export function excludedPaths(root = ROOT) {
  const files = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).build?.files ?? []
  const paths = []
  for (const pattern of files.filter((f) => f.startsWith('!node_modules/'))) {
    const m = /^!node_modules\/([^{}*]*)(?:\{([^{}*]+)\})?([^{}*]*)\/\*\*$/.exec(pattern)
    if (!m) throw new Error(`runtime-modules.mjs does not understand the build.files pattern ${pattern}`)
    const [, before, alternatives, after] = m
    for (const alt of alternatives === undefined ? [''] : alternatives.split(',')) paths.push(`node_modules/${before}${alt}${after}`)
  }
  return paths
}

/** True when build.files leaves `path` (relative to the app) out. */
export function isExcluded(path, excluded) {
  return excluded.some((x) => path === x || path.startsWith(`${x}/`))
}

/** Build by-products electron-builder never copies from node_modules (its own default exclusions, in part). */
const BUILD_EXTS = /\.(a|o|obj|mk|cc)$/

/** Bytes on disk of one installed package as shipped: without its own nested node_modules (counted on their own) or excluded files. */
export function packageBytes(dir, root = ROOT, excluded = excludedPaths(root)) {
  let total = 0
  const walk = (d) => {
    for (const entry of readdirSync(d)) {
      const path = join(d, entry)
      if (isExcluded(relative(root, path).split(sep).join('/'), excluded)) continue
      const st = lstatSync(path)
      if (st.isDirectory()) {
        if (entry !== 'node_modules') walk(path)
      } else if (!BUILD_EXTS.test(entry)) total += st.size
    }
  }
  walk(dir)
  return total
}

const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === '--patterns') {
  console.log(JSON.stringify(installOnlyPattern()))
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const shipped = shippedModules()
  const size = shipped.reduce((sum, at) => sum + packageBytes(join(ROOT, at)), 0)
  for (const at of shipped) console.log(`  ${at.replace(/^node_modules\//, '')}`)
  console.log(`${shipped.length} packages shipped in the app's node_modules: ${mb(size)}`)
  const installOnly = installOnlyModules()
  const installOnlySize = installOnly.reduce((sum, at) => sum + packageBytes(join(ROOT, at), ROOT, []), 0)
  console.log(`left out, needed only to install a native module: ${installOnly.length} packages, ${mb(installOnlySize)}`)
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
