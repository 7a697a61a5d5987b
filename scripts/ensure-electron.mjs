#!/usr/bin/env node
// `npm start`'s first step: make sure Electron's binary is on disk before electron-vite looks for it.
// Electron 45 has no install script: it downloads its binary lazily, the first time
// `require('electron')` runs, while electron-vite only reads node_modules/electron/path.txt and stops
// with "Error: Electron uninstall". This fetches the binary with Electron's own downloader
// (@electron/get, then Electron's install.js to unpack it), and when that cannot happen it says
// why and what to do in one paragraph, without a stack trace.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'

const require = createRequire(import.meta.url)
// No response, or no new bytes, for this long means the route is dead (a download in progress keeps going).
const STALL_MS = Number(process.env.SKEIN_ELECTRON_STALL_MS) || 30_000

/** The installed electron package's folder and version, or null when it is not installed. */
function electronPackage() {
  try {
    const manifest = require.resolve('electron/package.json')
    return { dir: dirname(manifest), version: JSON.parse(readFileSync(manifest, 'utf8')).version }
  } catch {
    return null
  }
}

/** Electron's own answer to "is the binary there" (index.js / install.js): path.txt, then the file it names. */
function binaryPresent(dir) {
  const pathTxt = join(dir, 'path.txt')
  if (!existsSync(pathTxt)) return false
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH || join(dir, 'dist')
  return existsSync(join(dist, readFileSync(pathTxt, 'utf8').trim()))
}

const nodeTooOld = () => {
  const [major, minor] = process.versions.node.split('.').map(Number)
  return major < 22 || (major === 22 && minor < 12)
}

/** Prints the one paragraph a person needs, and stops. */
function fail(what) {
  const mirror = process.env.ELECTRON_MIRROR || process.env.npm_config_electron_mirror
  const proxy = process.env.HTTPS_PROXY || process.env.https_proxy || process.env.HTTP_PROXY || process.env.http_proxy
  const lines = [
    `Skein could not start: Electron's binary is not installed and downloading it failed (${what}).`,
    proxy
      ? `Check the proxy in HTTPS_PROXY (${proxy}) lets through ${mirror || 'https://github.com/electron/electron/releases'},`
      : 'If this network needs a proxy, set HTTPS_PROXY (for example HTTPS_PROXY=http://proxy.example:3128),',
    mirror
      ? `check the mirror in ELECTRON_MIRROR (${mirror}) serves Electron's releases,`
      : "or point ELECTRON_MIRROR at a mirror of Electron's releases (for example ELECTRON_MIRROR=https://npmmirror.com/mirrors/electron/),",
    'then run `npm start` again.',
    'To use Skein without Electron, run `npm run serve` and open the address it prints in a browser.',
    ...(nodeTooOld()
      ? [`Note: Electron's toolchain (electron, @electron/get) wants Node 22.12 or newer; this is Node ${process.versions.node}.`]
      : [])
  ]
  process.stderr.write(`\n${lines.join(' ')}\n\n`)
  process.exit(1)
}

/** A short reason from a download error: the innermost cause, never a stack. */
function reason(error) {
  let e = error
  while (e && e.cause) e = e.cause
  if (e && e.name === 'AbortError') return `no data from the download server for ${Math.round(STALL_MS / 1000)} s`
  const where = e && (e.hostname || (e.address ? `${e.address}${e.port ? `:${e.port}` : ''}` : ''))
  switch (e && e.code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve ${where || 'the download host'}: no network, or no DNS`
    case 'ECONNREFUSED':
      return `connection refused by ${where || 'the server'}`
    case 'ECONNRESET':
      return `connection reset by ${where || 'the server'}`
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return `timed out connecting to ${where || 'the server'}`
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
      return `no route to ${where || 'the server'}`
  }
  return String((e && e.message) || error).split('\n')[0]
}

async function download(pkg) {
  const env = process.env
  // @electron/get honours HTTPS_PROXY only when asked to; a person who set a proxy means it.
  if ((env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy) && !env.ELECTRON_GET_USE_PROXY)
    env.ELECTRON_GET_USE_PROXY = 'true'
  let get
  try {
    const fromElectron = createRequire(join(pkg.dir, 'package.json'))
    get = await import(pathToFileURL(fromElectron.resolve('@electron/get')).href)
  } catch (e) {
    fail(`Electron's downloader @electron/get could not be loaded: ${reason(e)}`)
  }
  const controller = new AbortController()
  let stall = setTimeout(() => controller.abort(), STALL_MS)
  const progressed = () => {
    clearTimeout(stall)
    stall = setTimeout(() => controller.abort(), STALL_MS)
  }
  process.stderr.write(`Skein: downloading Electron ${pkg.version} (once; about 100 MB)…\n`)
  try {
    // The same artifact, checksums and cache Electron's install.js uses, so install.js then finds it cached.
    await get.downloadArtifact({
      version: pkg.version,
      artifactName: 'electron',
      platform: env.ELECTRON_INSTALL_PLATFORM || env.npm_config_platform || process.platform,
      arch: env.ELECTRON_INSTALL_ARCH || env.npm_config_arch || process.arch,
      cacheRoot: env.electron_config_cache,
      checksums: JSON.parse(readFileSync(join(pkg.dir, 'checksums.json'), 'utf8')),
      downloadOptions: { signal: controller.signal, quiet: true, getProgressCallback: progressed }
    })
  } catch (e) {
    fail(reason(e))
  } finally {
    clearTimeout(stall)
  }
  // Electron's install.js unpacks the cached zip and writes path.txt.
  const unpack = spawnSync(process.execPath, [join(pkg.dir, 'install.js')], { env, encoding: 'utf8', stdio: ['ignore', 'inherit', 'pipe'] })
  if (unpack.status !== 0 || !binaryPresent(pkg.dir)) {
    const firstLine = (unpack.stderr || '').split('\n').find((l) => l.trim() && !l.startsWith('    at ')) || `exit code ${unpack.status}`
    fail(`unpacking it failed: ${firstLine.trim()}`)
  }
  process.stderr.write('Skein: Electron is installed.\n')
}

const pkg = electronPackage()
if (!pkg) fail('the electron package is not installed; run `npm install` first')
if (!binaryPresent(pkg.dir)) await download(pkg)
