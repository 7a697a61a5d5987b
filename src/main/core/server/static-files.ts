import { readFile, stat } from 'node:fs/promises'
import { extname, join, normalize, sep } from 'node:path'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.map': 'application/json'
}

/** A file to send: its bytes and content type. */
export interface StaticFile {
  body: Buffer
  type: string
}

/** Reads a file under `root` for a URL path; unknown paths fall back to index.html (one-page app). */
export async function readStatic(root: string, urlPath: string): Promise<StaticFile | null> {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0] ?? '/')
  } catch {
    return null
  }
  const rel = normalize(decoded).replace(/^([/\\])+/, '')
  const full = join(root, rel)
  if (full !== root && !full.startsWith(root.endsWith(sep) ? root : root + sep)) return null
  const target = (await stat(full).then(
    (s) => s.isFile(),
    () => false
  ))
    ? full
    : extname(rel)
      ? null
      : join(root, 'index.html')
  if (!target) return null
  try {
    return { body: await readFile(target), type: TYPES[extname(target)] ?? 'application/octet-stream' }
  } catch {
    return null
  }
}
