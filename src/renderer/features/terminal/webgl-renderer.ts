import type { Terminal } from '@xterm/xterm'
import { WebglAddon } from '@xterm/addon-webgl'

/** Set once WebGL failed to start here; later terminals go straight to the DOM renderer. */
let webglUnsupported = false

/** The user (or a test) can force the DOM renderer with localStorage `skein.terminal.renderer = dom`. */
function webglWanted(): boolean {
  if (webglUnsupported) return false
  try {
    return localStorage.getItem('skein.terminal.renderer') !== 'dom'
  } catch {
    return true
  }
}

/**
 * xterm's WebGL renderer for one terminal, held only while it is on screen: Chromium allows about
 * 16 live WebGL contexts. Without WebGL, or after its context is lost, xterm draws with the DOM.
 */
export class WebglRenderer {
  private addon: WebglAddon | null = null
  /** The canvases the addon added, so their context can be released at once (not at GC). */
  private canvases: HTMLCanvasElement[] = []

  constructor(
    private readonly term: Terminal,
    private readonly element: HTMLElement
  ) {}

  /** Switches to WebGL if it is wanted and works here; call once the terminal is open and shown. */
  load(): void {
    if (this.addon || !webglWanted()) return
    const before = new Set(this.element.querySelectorAll('canvas'))
    try {
      const addon = new WebglAddon()
      addon.onContextLoss(() => {
        // Fall back to the DOM renderer; showing the terminal again tries WebGL anew.
        if (this.addon === addon) this.dispose()
      })
      this.term.loadAddon(addon)
      this.addon = addon
      this.canvases = [...this.element.querySelectorAll('canvas')].filter((c) => !before.has(c))
    } catch (e) {
      webglUnsupported = true
      console.info('Skein: WebGL terminal renderer unavailable, using the DOM renderer.', e)
    }
  }

  /** Drops WebGL (xterm falls back to the DOM renderer) and releases its context now. */
  dispose(): void {
    const addon = this.addon
    const canvases = this.canvases
    this.addon = null
    this.canvases = []
    if (!addon) return
    try {
      addon.dispose()
    } catch {
      // already gone with its context
    }
    for (const canvas of canvases) {
      // A canvas holding a 2d context answers null here; only the WebGL one is released.
      const gl = canvas.getContext('webgl2') as WebGL2RenderingContext | null
      gl?.getExtension('WEBGL_lose_context')?.loseContext()
    }
  }
}
