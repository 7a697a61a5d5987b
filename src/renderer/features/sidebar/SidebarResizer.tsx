import type { KeyboardEvent, PointerEvent, ReactElement } from 'react'
import { sidebarWidth, useSidebar } from '../../state/sidebar-store'

/** The drag handle on the sidebar's right edge; arrow keys resize it too, double-click resets it. */
export function SidebarResizer(): ReactElement {
  const width = useSidebar((s) => s.width)
  const setWidth = useSidebar((s) => s.setWidth)

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return
    e.preventDefault()
    const startX = e.clientX
    const startWidth = width
    const handle = e.currentTarget
    handle.setPointerCapture(e.pointerId)
    document.body.classList.add('is-resizing')
    const onMove = (ev: globalThis.PointerEvent) => setWidth(startWidth + ev.clientX - startX)
    const onUp = () => {
      handle.removeEventListener('pointermove', onMove)
      handle.removeEventListener('pointerup', onUp)
      handle.removeEventListener('pointercancel', onUp)
      document.body.classList.remove('is-resizing')
    }
    handle.addEventListener('pointermove', onMove)
    handle.addEventListener('pointerup', onUp)
    handle.addEventListener('pointercancel', onUp)
  }

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = e.shiftKey ? 48 : 16
    if (e.key === 'ArrowLeft') setWidth(width - step)
    else if (e.key === 'ArrowRight') setWidth(width + step)
    else if (e.key === 'Home') setWidth(sidebarWidth.min)
    else if (e.key === 'End') setWidth(sidebarWidth.max)
    else return
    e.preventDefault()
  }

  return (
    <div
      className="sidebar-resizer"
      role="separator"
      aria-orientation="vertical"
      aria-label="Resize sidebar"
      aria-valuenow={width}
      aria-valuemin={sidebarWidth.min}
      aria-valuemax={sidebarWidth.max}
      tabIndex={0}
      title="Drag to resize · double-click to reset"
      onPointerDown={onPointerDown}
      onDoubleClick={() => setWidth(sidebarWidth.initial)}
      onKeyDown={onKeyDown}
    />
  )
}
