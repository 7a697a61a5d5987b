import { mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import stripAnsi from 'strip-ansi'
import type { PtyHost } from '../../pty/pty-host'
import type { Tool, ToolOutcome } from './tool-types'

const DEFAULT_TIMEOUT_MS = 120_000
const MAX_TIMEOUT_MS = 600_000
/** Output beyond this is cut from the middle before it goes to the model. */
export const OUTPUT_CAP_CHARS = 30_000

// A pty's output as text: escapes gone, and its CR before each LF too.
const plainText = (text: string): string => stripAnsi(text).replace(/\r/g, '')

/** Cuts the middle of a long output, saying so. */
export function capOutput(text: string, cap = OUTPUT_CAP_CHARS): string {
  if (text.length <= cap) return text
  const half = Math.floor(cap / 2)
  return `${text.slice(0, half)}\n[… ${text.length - cap} characters cut from the middle: the output was ${text.length} characters …]\n${text.slice(-half)}`
}

// Octal escapes keep the markers out of the shell's echo of the typed line.
const octalUnderscores = '\\137\\137'

/**
 * Runs commands in the thread's persistent shell (the one the person sees live in the Terminal
 * tab), so the working directory and exported variables carry over between commands.
 */
export const bashTool = (ptys: PtyHost): Tool => ({
  name: 'bash',
  description:
    "Run a shell command in the thread's persistent bash session in the worktree. cd and exported variables persist between calls. Returns the output and exit code. Optional timeout_ms (default 120000, max 600000). Avoid interactive commands.",
  inputSchema: {
    type: 'object',
    properties: { command: { type: 'string' }, timeout_ms: { type: 'integer', minimum: 1000 } },
    required: ['command']
  },
  category: 'command',
  summarize: (i) => `Run \`${String(i.command ?? '').split('\n')[0]}\``,
  async run(input, ctx): Promise<ToolOutcome> {
    const command = String(input.command ?? '')
    if (!command.trim()) return { output: 'command is empty', isError: true }
    const timeout = Math.min(MAX_TIMEOUT_MS, Math.max(1000, Number(input.timeout_ms) || DEFAULT_TIMEOUT_MS))
    const shell = await ptys.agentShell(ctx.threadId, ctx.sandbox)
    if (!shell.ok) return { output: `Could not start the shell: ${shell.error.message}`, isError: true }
    const ptyId = shell.value.id
    const nonce = randomBytes(6).toString('hex')
    const start = `__SKEIN_S_${nonce}__`
    const endRe = new RegExp(`__SKEIN_E_${nonce}_(\\d+)__`)
    const dir = join(tmpdir(), `skein-agent-${process.pid}`)
    await mkdir(dir, { recursive: true })
    const script = join(dir, `${nonce}.sh`)
    // The script shows the command to the person watching, marks where its output starts, then runs it in this shell.
    await writeFile(
      script,
      `printf '\\033[2m$ %s\\033[0m\\n' ${shellQuote(command.split('\n')[0]!)}\nprintf '${octalUnderscores}SKEIN_S_${nonce}${octalUnderscores}\\n'\n${command}\n`
    )
    let buffer = ''
    let startAt = -1
    let endAt = -1
    let resolveDone!: (code: number | null) => void
    const done = new Promise<number | null>((r) => (resolveDone = r))
    const tap = ptys.tap(ptyId, (text) => {
      buffer += text
      if (startAt < 0) {
        const i = buffer.indexOf(start)
        if (i >= 0) startAt = i + start.length
      }
      const m = startAt >= 0 && endAt < 0 ? endRe.exec(buffer.slice(startAt)) : null
      if (m) {
        endAt = startAt + m.index
        resolveDone(Number(m[1]))
      } else if (startAt >= 0) ctx.progress(plainText(text))
    })
    ptys.setAgentCommand(ptyId, command)
    const interrupt = () => ptys.write(ptyId, '\x03')
    // Ctrl-C makes bash drop the rest of the line, end marker included: stop waiting at once.
    const onAbort = () => {
      interrupt()
      resolveDone(null)
    }
    ctx.signal.addEventListener('abort', onAbort, { once: true })
    const timer = setTimeout(() => resolveDone(null), timeout)
    try {
      const w = ptys.write(ptyId, ` . '${script}'; printf '\\n${octalUnderscores}SKEIN_E_${nonce}_%d${octalUnderscores}\\n' $?\r`)
      if (!w.ok) return { output: w.error.message, isError: true }
      let code = await done
      let note = ''
      if (code === null) {
        if (!ctx.signal.aborted) interrupt()
        note = ctx.signal.aborted ? '\n[interrupted by the user]' : `\n[timed out after ${timeout / 1000} s and was interrupted]`
      }
      const body = startAt >= 0 ? buffer.slice(startAt, endAt >= 0 ? endAt : undefined).replace(/^\r?\n/, '') : buffer
      const output = capOutput(plainText(body).replace(/\n+$/, '')) + note
      return { output: output || '(no output)', isError: code !== 0, exitCode: code }
    } finally {
      clearTimeout(timer)
      ctx.signal.removeEventListener('abort', onAbort)
      tap.dispose()
      ptys.setAgentCommand(ptyId, null)
      await rm(script, { force: true })
    }
  }
})

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`
}
