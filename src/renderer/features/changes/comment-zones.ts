import type * as Monaco from 'monaco-editor/editor/editor.api'

type CodeEditor = Monaco.editor.ICodeEditor

/** Where one zone goes: below a line of the modified side. */
export interface ZoneSpec {
  key: string
  afterLine: number
}

interface Zone {
  spec: ZoneSpec
  id: string
  /** The view zone Monaco lays out (it only reserves the height). */
  delegate: Monaco.editor.IViewZone
  /** The visible content: an overlay widget moved to the view zone's top, so its inputs get real focus and keys. */
  node: HTMLElement
  widget: Monaco.editor.IOverlayWidget
  height: number
}

const GAP = 6

/**
 * Blocks of UI (comment cards and forms) between the lines of a code editor, as VS Code's comment
 * widget does it: a view zone makes room, and an overlay widget on top of it holds the content.
 * The content's own size decides the room; keys typed in it never reach the editor.
 */
export class CommentZones {
  private readonly zones = new Map<string, Zone>()
  private readonly resize = new ResizeObserver((entries) => this.onResize(entries))
  private readonly listeners: Monaco.IDisposable[]

  constructor(private readonly editor: CodeEditor) {
    this.listeners = [
      editor.onDidLayoutChange(() => this.place()),
      // A new model means a new view, and view zones live in the view: add them to it again.
      editor.onDidChangeModel(() => {
        editor.changeViewZones((access) => {
          for (const zone of this.zones.values()) zone.id = access.addZone(zone.delegate)
        })
      })
    ]
  }

  /** Makes the zones match `specs`; returns the content node of each, by key (for React portals). */
  sync(specs: readonly ZoneSpec[]): Map<string, HTMLElement> {
    const wanted = new Map(specs.map((s) => [s.key, s]))
    this.editor.changeViewZones((access) => {
      for (const [key, zone] of this.zones) {
        if (wanted.has(key)) continue
        access.removeZone(zone.id)
        this.editor.removeOverlayWidget(zone.widget)
        this.resize.unobserve(zone.node)
        this.zones.delete(key)
      }
      for (const spec of specs) {
        const zone = this.zones.get(spec.key)
        if (zone) {
          if (zone.spec.afterLine !== spec.afterLine) {
            zone.spec = spec
            zone.delegate.afterLineNumber = spec.afterLine
            access.layoutZone(zone.id)
          }
          continue
        }
        this.zones.set(spec.key, this.create(spec, access))
      }
    })
    this.place()
    return new Map([...this.zones].map(([key, z]) => [key, z.node]))
  }

  /** Removes every zone and stops listening. */
  dispose(): void {
    this.sync([])
    this.resize.disconnect()
    for (const l of this.listeners) l.dispose()
  }

  private create(spec: ZoneSpec, access: Monaco.editor.IViewZoneChangeAccessor): Zone {
    const node = document.createElement('div')
    node.className = 'comment-zone'
    node.dataset.zone = spec.key
    node.style.position = 'absolute'
    node.style.top = '-100000px'
    // The editor listens for keys on its own DOM (shortcuts, typing): keys in a comment box stay there.
    node.addEventListener('keydown', (e) => e.stopPropagation())
    node.addEventListener('keypress', (e) => e.stopPropagation())
    node.addEventListener('wheel', (e) => e.stopPropagation(), { passive: true })
    const room = document.createElement('div')
    const delegate: Monaco.editor.IViewZone = {
      afterLineNumber: spec.afterLine,
      heightInPx: 80,
      domNode: room,
      onDomNodeTop: (top) => {
        node.style.top = `${top + GAP / 2}px`
      }
    }
    const widget: Monaco.editor.IOverlayWidget = {
      getId: () => `skein.comment-zone.${spec.key}`,
      getDomNode: () => node,
      getPosition: () => null
    }
    this.editor.addOverlayWidget(widget)
    const id = access.addZone(delegate)
    this.resize.observe(node)
    return { spec, id, delegate, node, widget, height: 80 }
  }

  /** Lines the content up with the code (right of the gutter, left of the scrollbar). */
  private place(): void {
    const layout = this.editor.getLayoutInfo()
    const left = layout.contentLeft
    const width = Math.max(200, Math.min(760, layout.width - left - layout.verticalScrollbarWidth - 24))
    for (const zone of this.zones.values()) {
      zone.node.style.left = `${left}px`
      zone.node.style.width = `${width}px`
    }
  }

  private onResize(entries: ResizeObserverEntry[]): void {
    const changed: Zone[] = []
    for (const entry of entries) {
      const zone = [...this.zones.values()].find((z) => z.node === entry.target)
      const height = Math.ceil((entry.target as HTMLElement).offsetHeight) + GAP
      if (zone && height !== zone.height) {
        zone.height = height
        zone.delegate.heightInPx = height
        changed.push(zone)
      }
    }
    if (changed.length) this.editor.changeViewZones((access) => changed.forEach((z) => access.layoutZone(z.id)))
  }
}
