import stripAnsiCodes from 'strip-ansi'
/** How a run of text looks: the SGR attributes in force. Colours are a palette index (0–15) or a #rrggbb string. */
export interface AnsiStyle {
  fg: number | string | null
  bg: number | string | null
  bold: boolean
  dim: boolean
  italic: boolean
  underline: boolean
  inverse: boolean
  strike: boolean
}

/** A run of text in one style; `style` is null for the default look. */
export interface AnsiSpan {
  text: string
  style: AnsiStyle | null
}

const PLAIN: AnsiStyle = { fg: null, bg: null, bold: false, dim: false, italic: false, underline: false, inverse: false, strike: false }

// CSI (colours, cursor moves), OSC (titles, hyperlinks), other two-byte escapes, then bare C0 controls but tab and CR.
const ESCAPES =
  /\x1b\[([0-9;:?<=>]*)[ -/]*([@-~])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[ -/]*[0-~]?|[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f]/g

// C0 controls but tab, LF and CR, and DEL: never meant to be shown.
const CONTROLS = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g

/** The text without ANSI escapes or control characters (tabs and line breaks stay). */
export function stripAnsi(text: string): string {
  return stripAnsiCodes(text).replace(CONTROLS, '')
}

const hex = (n: number) => n.toString(16).padStart(2, '0')
const rgb = (r: number, g: number, b: number) => `#${hex(r & 255)}${hex(g & 255)}${hex(b & 255)}`

/** A 256-colour index as a palette index (0–15) or an exact colour. */
function color256(n: number): number | string | null {
  if (!Number.isInteger(n) || n < 0 || n > 255) return null
  if (n < 16) return n
  if (n >= 232) {
    const v = 8 + (n - 232) * 10
    return rgb(v, v, v)
  }
  const i = n - 16
  const level = (x: number) => (x === 0 ? 0 : 55 + x * 40)
  return rgb(level(Math.floor(i / 36)), level(Math.floor(i / 6) % 6), level(i % 6))
}

/** An extended colour (`38;5;n`, `38;2;r;g;b`) from its parts after the 38/48; null when malformed. */
function extendedColor(parts: number[]): number | string | null {
  if (parts[0] === 5) return color256(parts[1])
  if (parts[0] === 2) {
    const [r, g, b] = parts.slice(1, 4)
    return [r, g, b].every((x) => Number.isInteger(x) && x >= 0 && x <= 255) ? rgb(r, g, b) : null
  }
  return null
}

/** Applies one SGR parameter list (`1;31`, `38;5;208`, `38:2::255:0:0`) to a style. */
function applySgr(style: AnsiStyle, params: string): AnsiStyle {
  const groups = params === '' ? ['0'] : params.split(';')
  const s = { ...style }
  for (let i = 0; i < groups.length; i++) {
    const group = groups[i]
    if (group.includes(':')) {
      // Colon sub-parameters are self-contained; true colour may carry an empty colour-space slot.
      const sub = group.split(':').map((x) => (x === '' ? Number.NaN : Number(x)))
      if (sub[0] === 38 || sub[0] === 48) {
        const parts = sub[1] === 2 && sub.length >= 6 ? [2, ...sub.slice(3)] : sub.slice(1)
        const value = extendedColor(parts)
        if (value !== null) s[sub[0] === 38 ? 'fg' : 'bg'] = value
      } else if (sub[0] === 4) s.underline = sub[1] !== 0
      continue
    }
    const c = group === '' ? 0 : Number(group)
    if (c === 0) Object.assign(s, PLAIN)
    else if (c === 1) s.bold = true
    else if (c === 2) s.dim = true
    else if (c === 3) s.italic = true
    else if (c === 4) s.underline = true
    else if (c === 7) s.inverse = true
    else if (c === 9) s.strike = true
    else if (c === 21 || c === 22) s.bold = s.dim = false
    else if (c === 23) s.italic = false
    else if (c === 24) s.underline = false
    else if (c === 27) s.inverse = false
    else if (c === 29) s.strike = false
    else if (c >= 30 && c <= 37) s.fg = c - 30
    else if (c === 39) s.fg = null
    else if (c >= 40 && c <= 47) s.bg = c - 40
    else if (c === 49) s.bg = null
    else if (c >= 90 && c <= 97) s.fg = c - 90 + 8
    else if (c >= 100 && c <= 107) s.bg = c - 100 + 8
    else if (c === 38 || c === 48) {
      const mode = Number(groups[i + 1])
      const take = mode === 5 ? 2 : mode === 2 ? 4 : 1
      const value = extendedColor(groups.slice(i + 1, i + 1 + take).map(Number))
      if (value !== null) s[c === 38 ? 'fg' : 'bg'] = value
      i += take
    }
  }
  return s
}

const isPlain = (s: AnsiStyle) =>
  s.fg === null && s.bg === null && !s.bold && !s.dim && !s.italic && !s.underline && !s.inverse && !s.strike

/**
 * Splits one line into styled spans, starting in `state`; returns the spans and the style in force
 * at the end (colours carry over to the next line, as in a terminal). A carriage return starts the
 * line over, as progress bars expect.
 */
export function parseAnsiLine(line: string, state: AnsiStyle = PLAIN): { spans: AnsiSpan[]; state: AnsiStyle } {
  if (line.indexOf('\x1b') < 0 && line.indexOf('\r') < 0 && !/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(line)) {
    return { spans: line ? [{ text: line, style: isPlain(state) ? null : state }] : [], state }
  }
  let spans: AnsiSpan[] = []
  let style = state
  let last = 0
  // Text after a carriage return overwrites the line (a trailing one changes nothing).
  let overwrite = false
  const push = (text: string) => {
    text.split('\r').forEach((part, i) => {
      if (i > 0) overwrite = true
      if (!part) return
      if (overwrite) spans = []
      overwrite = false
      spans.push({ text: part, style: isPlain(style) ? null : style })
    })
  }
  ESCAPES.lastIndex = 0
  for (let m = ESCAPES.exec(line); m; m = ESCAPES.exec(line)) {
    push(line.slice(last, m.index))
    last = m.index + m[0].length
    if (m[2] === 'm') style = applySgr(style, m[1] ?? '')
  }
  push(line.slice(last))
  return { spans, state: style }
}

/** The plain starting style. */
export const plainStyle: AnsiStyle = PLAIN

/** CSS class names for a span's palette colours and attributes (exact colours go in `inlineStyle`). */
export function spanClass(style: AnsiStyle): string {
  const fg = style.inverse ? style.bg : style.fg
  const bg = style.inverse ? (style.fg ?? 'fg') : style.bg
  const names: string[] = []
  if (typeof fg === 'number') names.push(`ansi-fg-${fg}`)
  if (typeof bg === 'number') names.push(`ansi-bg-${bg}`)
  if (bg === 'fg') names.push('ansi-bg-fg')
  if (style.inverse && fg === null) names.push('ansi-fg-bg')
  if (style.bold) names.push('ansi-bold')
  if (style.dim) names.push('ansi-dim')
  if (style.italic) names.push('ansi-italic')
  if (style.underline) names.push('ansi-underline')
  if (style.strike) names.push('ansi-strike')
  return names.join(' ')
}

/** Inline colours for 256-colour and true-colour spans; only #rrggbb values ever get here. */
export function inlineStyle(style: AnsiStyle): { color?: string; backgroundColor?: string } | undefined {
  const fg = style.inverse ? style.bg : style.fg
  const bg = style.inverse ? style.fg : style.bg
  const out: { color?: string; backgroundColor?: string } = {}
  if (typeof fg === 'string' && /^#[0-9a-f]{6}$/.test(fg)) out.color = fg
  if (typeof bg === 'string' && /^#[0-9a-f]{6}$/.test(bg)) out.backgroundColor = bg
  return out.color || out.backgroundColor ? out : undefined
}
