import { constants } from 'node:fs'
import { access, stat } from 'node:fs/promises'
import { delimiter, isAbsolute, join } from 'node:path'

/** The full path of an executable found on PATH (or given as a path), or null. */
export async function findExecutable(command: string, env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  const exts = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';').concat(['']) : ['']
  const candidates =
    command.includes('/') || (process.platform === 'win32' && command.includes('\\'))
      ? [isAbsolute(command) ? command : join(process.cwd(), command)]
      : (env.PATH ?? '')
          .split(delimiter)
          .filter(Boolean)
          .map((dir) => join(dir, command))
  for (const base of candidates) {
    for (const ext of exts) {
      const full = base + ext
      try {
        if (!(await stat(full)).isFile()) continue
        await access(full, constants.X_OK)
        return full
      } catch {
        // not here
      }
    }
  }
  return null
}
