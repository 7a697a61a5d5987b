import ansiRegex from 'ansi-regex'

const ANSI = ansiRegex()

/** What the bash tool types into the shell starts with this (then the script's path). */
const ECHO_START = " . '"
/** The typed line, once readline's wrap artefacts are taken out: it sources a Skein script and prints an end marker. */
const ECHO_LINE = /^ \. '[^']*skein-agent-\d+\/[0-9a-f]+\.sh'; printf '/
/** The start of the typed line up to the script's path. */
const SCRIPT = /^ \. '[^']*skein-agent-\d+\/[0-9a-f]+\.sh'/
const MARKER_PREFIX = '__SKEIN_'
const START_LINE = /^__SKEIN_S_[0-9a-f]+__$/
const END_LINE = /^__SKEIN_E_[0-9a-f]+_\d+__$/
/** Erases the row the cursor is on: what was already shown of a line that turned out to be plumbing. */
const ERASE_ROW = '\r\x1b[2K'

const visible = (text: string): string => text.replace(ANSI, '').replace(/[\r\n]/g, '')

/**
 * Readline redraws a typed line that wraps at the right margin by printing `X\rX` around the
 * character at the margin; this takes those out (and any other carriage return) so the line can
 * be recognised whatever the terminal's width.
 */
const unwrapped = (text: string): string =>
  text
    .replace(ANSI, '')
    .replace(/(.)\r\1/g, '$1')
    .replace(/[\r\n]/g, '')

/**
 * Takes the built-in agent's command plumbing out of what a person sees of its shell: the typed
 * line that sources the command's script (` . '/tmp/skein-agent-…/<nonce>.sh'; printf …`, with the
 * prompt it follows), the `__SKEIN_S_…__` and `__SKEIN_E_…__` marker lines, and the blank line the
 * end marker's printf adds. The command's own `$ command` header and output stay.
 *
 * Works on a stream cut anywhere: text that may be the start of plumbing is held until its line
 * ends or shows it is not (at most one line, or until `flush`). When a line turns out to be
 * plumbing after part of it was shown (the prompt before the typed line), the row is erased.
 */
export class PlumbingFilter {
  /** Text of the current line not yet passed on. */
  private held = ''
  /**
   * Whether some of the current line was passed on already. At the start it may have been: the
   * filter is set on a shell that may have printed its prompt (erasing an empty row is harmless).
   */
  private shown = true
  /** The last few characters of the current line passed on: the typed line may have begun in them. */
  private passedTail = ''
  /** A blank line held back: the end marker's printf adds one, which is dropped with it. */
  private blank = ''

  /** True while some text is held back (flush it if no more output comes). */
  get holding(): boolean {
    return this.held.length > 0 || this.blank.length > 0
  }

  /** Filters the next chunk of output; returns what to show now. */
  push(chunk: string): string {
    let out = ''
    let rest = chunk
    while (rest.length > 0) {
      const nl = rest.indexOf('\n')
      if (nl < 0) {
        out += this.partial(rest)
        break
      }
      out += this.line(rest.slice(0, nl + 1))
      rest = rest.slice(nl + 1)
    }
    return out
  }

  /** Passes on whatever is held: the output went quiet, so it was not plumbing. */
  flush(): string {
    const out = this.blank + this.held
    if (this.held) this.pass(this.held)
    this.blank = ''
    this.held = ''
    return out
  }

  /** A piece of output that ends a line. */
  private line(piece: string): string {
    const text = this.held + piece
    const shown = this.shown
    const seenBefore = this.passedTail
    this.held = ''
    this.shown = false
    this.passedTail = ''
    const seen = visible(text)
    const erase = shown ? ERASE_ROW : ''
    if (END_LINE.test(seen.trim())) {
      // The blank line goes, but not any terminal modes it set.
      const modes = (this.blank.match(ANSI) ?? []).join('')
      this.blank = ''
      return modes + erase
    }
    if (START_LINE.test(seen.trim())) return this.takeBlank() + erase
    const whole = seenBefore + text
    const echo = whole.indexOf(ECHO_START)
    if (echo >= 0 && ECHO_LINE.test(unwrapped(whole.slice(echo)))) return this.takeBlank() + erase
    if (seen.length === 0 && !shown) {
      // A blank line: held back in case the end marker follows it.
      const before = this.blank
      this.blank = text
      return before
    }
    return this.takeBlank() + text
  }

  /** The end of the output so far, inside a line: pass on what cannot be plumbing, hold the rest. */
  private partial(piece: string): string {
    const text = this.held + piece
    const seen = visible(text)
    // A marker line starts with `__SKEIN_`; hold a line while it may still be one (or the blank line before one).
    if (!this.shown && (MARKER_PREFIX.startsWith(seen) || seen.startsWith(MARKER_PREFIX))) {
      this.held = text
      return ''
    }
    const from = Math.max(0, holdFrom(this.passedTail + text) - this.passedTail.length)
    this.held = text.slice(from)
    const pass = text.slice(0, from)
    if (!pass) return ''
    this.pass(pass)
    return this.takeBlank() + pass
  }

  private pass(text: string): void {
    this.shown = true
    this.passedTail = (this.passedTail + text).slice(-(ECHO_START.length - 1))
  }

  private takeBlank(): string {
    const b = this.blank
    this.blank = ''
    return b
  }
}

/** Where the typed line may start in an unfinished line: at ` . '`, or at a tail that begins it. */
function holdFrom(text: string): number {
  const at = text.indexOf(ECHO_START)
  if (at >= 0) {
    // Still the typed line while the quoted path is open, or once it names a Skein script.
    const after = unwrapped(text.slice(at))
    const closed = after.indexOf("'", ECHO_START.length)
    if (closed < 0 || SCRIPT.test(after)) return at
    return text.length
  }
  for (let n = Math.min(ECHO_START.length - 1, text.length); n >= 2; n--) {
    if (text.endsWith(ECHO_START.slice(0, n))) return text.length - n
  }
  return text.length
}
