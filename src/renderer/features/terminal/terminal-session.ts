import { Terminal } from '@xterm/xterm'
import '@xterm/xterm/css/xterm.css'
import { FitAddon } from '@xterm/addon-fit'
import { SearchAddon } from '@xterm/addon-search'
import { Unicode11Addon } from '@xterm/addon-unicode11'
import { WebLinksAddon } from '@xterm/addon-web-links'
import { ErrorCode } from '../../../shared/errors'
import type { PtyInfo } from '../../../shared/models'
import { errorCode, errorMessage, notifyCore, request } from '../../state/rpc'
import { copyText } from '../../ui/clipboard'
import { notifyError } from '../../state/notify'
import { terminalKeyAction } from './terminal-keys'
import { WebglRenderer } from './webgl-renderer'
import { useTerminals } from './terminal-store'
import { readTerminalTheme, terminalFont } from './xterm-theme'

/** Acknowledge rendered output in chunks of this many characters (the core pauses above 100,000 unacked). */
export const ACK_CHARS = 5_000
const RESIZE_DEBOUNCE_MS = 80
const SCROLLBACK_LINES = 10_000

type AttachState = 'detached' | 'attaching' | 'attached'

/** The dim line written under a session's output when it ends while shown (the core adds the same on replay). */
function endedMarker(pty: PtyInfo): string {
  const why = pty.endedByRestart
    ? 'session ended when Skein quit'
    : pty.signal
      ? `session ended (signal ${pty.signal})`
      : `session ended (exit code ${pty.exitCode ?? '?'})`
  return `\r\n\x1b[0m\x1b[2m──── ${why} ────\x1b[0m\r\n`
}

/**
 * One pty's xterm instance and its attachment to the core: output in (with flow-control acks from
 * xterm's write callback), keystrokes and resizes out. It outlives the React view that shows it,
 * so switching threads keeps the screen; while hidden it holds no WebGL context.
 */
export class TerminalSession {
  readonly term: Terminal
  readonly search = new SearchAddon({ highlightLimit: 2_000 })
  /** The element xterm renders into; moved between containers as views come and go. */
  readonly element: HTMLDivElement
  pty: PtyInfo
  lastUsed = Date.now()
  private readonly fit = new FitAddon()
  private readonly webgl: WebglRenderer
  private opened = false
  /** True once a scrollback was written: a later attach resets the screen before replaying. */
  private replayed = false
  private visible = false
  private disposed = false
  private attachState: AttachState = 'detached'
  /** Bumped on every (re)attach, so acks and replies of an older attachment are dropped. */
  private generation = 0
  private pending: string[] = []
  private unacked = 0
  private sentSize: { cols: number; rows: number } | null = null
  private resizeTimer: ReturnType<typeof setTimeout> | null = null
  private readonly findListeners = new Set<() => void>()

  constructor(pty: PtyInfo) {
    this.pty = pty
    this.element = document.createElement('div')
    this.element.className = 'terminal-host'
    this.element.dataset.ptyId = pty.id
    this.term = new Terminal({
      allowProposedApi: true, // unicode11 and search decorations use proposed APIs
      fontFamily: terminalFont,
      fontSize: 13,
      lineHeight: 1.15,
      scrollback: SCROLLBACK_LINES,
      cursorBlink: true,
      macOptionIsMeta: false,
      rightClickSelectsWord: false,
      theme: readTerminalTheme()
    })
    this.term.loadAddon(this.fit)
    this.term.loadAddon(this.search)
    this.term.loadAddon(new Unicode11Addon())
    this.term.unicode.activeVersion = '11'
    this.term.loadAddon(
      new WebLinksAddon((event, uri) => {
        if (!/^https?:\/\//i.test(uri)) return
        event.preventDefault()
        window.open(uri, '_blank', 'noopener,noreferrer')
      })
    )
    this.webgl = new WebglRenderer(this.term, this.element)
    this.term.attachCustomKeyEventHandler((e) => this.onKey(e))
    this.term.onData((data) => this.send(data))
    this.term.onBinary((data) => this.send(data))
    this.term.onResize(() => this.scheduleResize())
  }

  /** True while the pty's process runs (keystrokes and resizes go to it). */
  get running(): boolean {
    return this.pty.state === 'running'
  }

  /** Starts following the pty: replays its scrollback, then streams `pty/data`. Also used after a reconnect. */
  async attach(): Promise<void> {
    const generation = ++this.generation
    this.attachState = 'attaching'
    this.pending = []
    this.unacked = 0
    this.sentSize = null
    try {
      const { pty, scrollback } = await request('pty/attach', { ptyId: this.pty.id })
      if (generation !== this.generation || this.disposed) return
      // The pty ended while this attach was in flight (a reconnect under load): the answer's copy is older than the
      // update that said so, and its scrollback has no end marker; the marker follows the output that waited.
      const endedMeanwhile = this.pty.state === 'exited' && pty.state === 'running'
      if (!endedMeanwhile) this.pty = pty
      useTerminals.getState().setPtyError(pty.id, null)
      if (this.replayed) this.term.reset()
      this.replayed = true
      if (scrollback) this.term.write(scrollback) // the replay is not counted for flow control
      this.attachState = 'attached'
      const queued = this.pending
      this.pending = []
      for (const data of queued) this.write(data)
      if (endedMeanwhile) this.term.write(endedMarker(this.pty))
      this.scheduleResize()
    } catch (e) {
      if (generation !== this.generation || this.disposed) return
      this.attachState = 'detached'
      useTerminals.getState().setPtyError(this.pty.id, errorMessage(e))
    }
  }

  /** Marks the attachment lost (the connection to the core closed); `attach()` restores it. */
  connectionLost(): void {
    this.generation++
    this.attachState = 'detached'
    this.pending = []
    this.unacked = 0
  }

  /** Writes output from `pty/data`, acknowledging it once xterm has processed it. */
  write(data: string): void {
    if (this.disposed) return
    if (this.attachState === 'attaching') {
      this.pending.push(data)
      return
    }
    if (this.attachState !== 'attached') return
    const generation = this.generation
    this.term.write(data, () => {
      if (generation === this.generation) this.acknowledge(data.length)
    })
  }

  private acknowledge(chars: number): void {
    this.unacked += chars
    if (this.unacked < ACK_CHARS) return
    const delta = this.unacked
    this.unacked = 0
    // Fire-and-forget: a lost ack only matters until the next re-attach, which starts a fresh count.
    notifyCore('pty/ack', { ptyId: this.pty.id, chars: delta })
  }

  /** Takes the core's newer view of the pty; when it just ended, says so under its output. */
  update(pty: PtyInfo): void {
    if (this.pty.state === 'exited' && pty.state === 'running') return // a stale copy: an ended pty never runs again
    const ended = this.pty.state === 'running' && pty.state === 'exited'
    this.pty = pty
    if (ended && this.attachState === 'attached') this.term.write(endedMarker(pty))
  }

  /** Puts the terminal into a visible container; opens xterm on first use and loads WebGL. */
  show(container: HTMLElement): void {
    this.lastUsed = Date.now()
    this.visible = true
    if (this.element.parentElement !== container) container.appendChild(this.element)
    if (!this.opened) {
      this.term.open(this.element)
      this.opened = true
    }
    this.webgl.load()
    this.fitNow()
    this.term.refresh(0, this.term.rows - 1)
  }

  /** Takes the terminal off screen, releasing its WebGL context; it keeps receiving output. */
  hide(): void {
    this.visible = false
    this.webgl.dispose()
    this.element.remove()
  }

  /** Fits the terminal to its container; the pty is told the new size shortly after. */
  fitNow(): void {
    if (!this.visible || !this.opened || this.disposed) return
    const { clientWidth, clientHeight } = this.element
    if (clientWidth < 20 || clientHeight < 20) return
    try {
      this.fit.fit()
    } catch {
      // measuring can fail while fonts load; the next resize fits again
    }
    this.scheduleResize()
  }

  /** Focuses the terminal for typing. */
  focus(): void {
    this.term.focus()
  }

  /** Clears the screen and scrollback (locally; the shell is not told). */
  clear(): void {
    this.term.clear()
  }

  /** Copies the selection; returns false when nothing is selected. */
  copySelection(): boolean {
    const text = this.term.getSelection()
    if (!text) return false
    copyText(text).catch((e) => notifyError('Could not copy', e))
    return true
  }

  /** Pastes text as if typed (bracketed when the program asked for it). */
  paste(text: string): void {
    if (text) this.term.paste(text)
  }

  /** Applies the current light/dark colours. */
  applyTheme(): void {
    this.term.options.theme = readTerminalTheme()
  }

  /** Listens for Ctrl/⌘+F inside the terminal (the view opens its find bar). */
  onFindRequested(listener: () => void): () => void {
    this.findListeners.add(listener)
    return () => this.findListeners.delete(listener)
  }

  /** Opens the find bar of whichever view shows this terminal. */
  requestFind(): void {
    for (const l of [...this.findListeners]) l()
  }

  /** Stops the attachment and frees xterm. */
  dispose(): void {
    if (this.disposed) return
    this.disposed = true
    this.generation++
    if (this.resizeTimer) clearTimeout(this.resizeTimer)
    if (this.attachState !== 'detached') request('pty/detach', { ptyId: this.pty.id }).catch(() => {})
    this.attachState = 'detached'
    this.webgl.dispose()
    this.term.dispose()
    this.element.remove()
    this.findListeners.clear()
  }

  private send(data: string): void {
    if (!this.running || this.attachState !== 'attached') return
    request('pty/write', { ptyId: this.pty.id, data }).catch((e) => {
      if (errorCode(e) === ErrorCode.PtyExited || errorCode(e) === ErrorCode.PtyNotFound || errorCode(e) === ErrorCode.Disconnected) return
      notifyError('Could not send keys to the terminal', e)
    })
  }

  private scheduleResize(): void {
    if (this.resizeTimer) clearTimeout(this.resizeTimer)
    this.resizeTimer = setTimeout(() => {
      this.resizeTimer = null
      const { cols, rows } = this.term
      if (!this.running || this.attachState !== 'attached' || !this.visible) return
      if (this.sentSize && this.sentSize.cols === cols && this.sentSize.rows === rows) return
      this.sentSize = { cols, rows }
      request('pty/resize', { ptyId: this.pty.id, cols, rows }).catch(() => {
        this.sentSize = null
      })
    }, RESIZE_DEBOUNCE_MS)
  }

  private onKey(e: KeyboardEvent): boolean {
    const action = terminalKeyAction(e, this.term.hasSelection())
    if (!action) return true
    if (e.type !== 'keydown') return false
    switch (action) {
      case 'copy':
        if (this.copySelection()) this.term.clearSelection()
        e.preventDefault()
        break
      case 'find':
        e.preventDefault()
        this.requestFind()
        break
      case 'clear':
        e.preventDefault()
        this.clear()
        break
      case 'swallow':
        e.preventDefault()
        break
      case 'paste':
      case 'app':
        // Not handled by xterm: the browser's paste event (which xterm pastes) or the app's shortcut handler takes it.
        break
    }
    return false
  }
}
