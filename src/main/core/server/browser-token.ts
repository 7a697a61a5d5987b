import { chmod, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { writeFileAtomic } from '../store/atomic-write'
import { newToken } from './token-auth'

/** Where browser mode keeps its token, so open tabs and printed links outlive a restart. */
export const browserTokenFile = (home: string): string => join(home, 'browser-token')

/** Where a browser-mode token came from. */
export type TokenSource = 'option' | 'env' | 'stored' | 'new'

// A stored token shorter than this, or with characters a URL would mangle, is replaced.
const VALID = /^[A-Za-z0-9_-]{24,256}$/

/**
 * The browser-mode token: an explicit one, else SKEIN_TOKEN, else the one kept in
 * SKEIN_HOME/browser-token (0600), made and stored on first use. An override is never written.
 */
export async function loadBrowserToken(
  home: string,
  o: { token?: string; env?: NodeJS.ProcessEnv } = {}
): Promise<{ token: string; source: TokenSource }> {
  if (o.token) return { token: o.token, source: 'option' }
  const fromEnv = (o.env ?? process.env).SKEIN_TOKEN
  if (fromEnv) return { token: fromEnv, source: 'env' }
  const file = browserTokenFile(home)
  const stored = (await readFile(file, 'utf8').catch(() => '')).trim()
  if (VALID.test(stored)) {
    if (process.platform !== 'win32') {
      const mode = (await stat(file)).mode & 0o777
      if (mode !== 0o600) await chmod(file, 0o600)
    }
    return { token: stored, source: 'stored' }
  }
  const token = newToken()
  await writeFileAtomic(file, `${token}\n`)
  return { token, source: 'new' }
}
