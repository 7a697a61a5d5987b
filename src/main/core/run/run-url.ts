import stripAnsi from 'strip-ansi'
import { portEnv, type PortRange } from '../../../shared/run'

/**
 * A run command's URL template with the thread's ports put in: `$PORT`, `${PORT}`,
 * `$SKEIN_PORT_3`, `${SKEIN_PORT_3}` (any variable portEnv exports). A variable the thread does not
 * have is left as written; null when nothing http(s) comes out.
 */
export function expandUrl(template: string, ports: PortRange | null): string | null {
  const env = portEnv(ports)
  const out = template.replace(
    /\$\{([A-Z_][A-Z0-9_]*)\}|\$([A-Z_][A-Z0-9_]*)/g,
    (whole, braced: string | undefined, bare: string | undefined) => env[(braced ?? bare)!] ?? whole
  )
  return /^https?:\/\/[^\s$]+$/i.test(out) ? out : null
}

// http(s)://host:port[/path]: dev servers print "Local: http://localhost:5173/" and the like.
const URL_IN_TEXT = /\bhttps?:\/\/(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[[0-9a-f:]+\]|[a-z0-9][a-z0-9.-]*):\d{2,5}(?:\/[^\s'"<>)\]]*)?/i

/**
 * The first local http(s) URL with a port in a run command's output (colours and cursor codes
 * removed), with the wildcard address 0.0.0.0 or [::] turned into localhost, which a browser can
 * open. Null when there is none yet.
 */
export function detectUrl(output: string): string | null {
  const found = URL_IN_TEXT.exec(stripAnsi(output))?.[0]
  if (!found) return null
  return found.replace(/^(https?:\/\/)(?:0\.0\.0\.0|\[::\])(?=:)/i, '$1localhost').replace(/[.,;:]+$/, '')
}
