import { useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactElement } from 'react'
import { createPortal } from 'react-dom'
import { Icon } from './Icon'
import { useMenu, type OpenMenu } from './menu-store'

/** Renders the open menu, if any (mounted once by the app shell). */
export function MenuHost(): ReactElement | null {
  const menu = useMenu((s) => s.menu)
  if (!menu) return null
  return createPortal(<MenuPopup key={`${menu.x},${menu.y},${menu.label}`} menu={menu} />, document.body)
}

function MenuPopup({ menu }: { menu: OpenMenu }): ReactElement {
  const ref = useRef<HTMLDivElement>(null)
  const [pos, setPos] = useState({ left: menu.x, top: menu.y })
  const close = useMenu((s) => s.close)

  const dismiss = (restoreFocus: boolean) => {
    close()
    if (restoreFocus && menu.returnFocus?.isConnected) menu.returnFocus.focus()
  }

  useLayoutEffect(() => {
    const el = ref.current
    if (!el) return
    const { width, height } = el.getBoundingClientRect()
    const margin = 6
    setPos({
      left: Math.max(margin, Math.min(menu.x, window.innerWidth - width - margin)),
      top: menu.y + height + margin > window.innerHeight ? Math.max(margin, menu.y - height - 8) : menu.y
    })
    el.querySelector<HTMLElement>('[role="menuitem"]:not([aria-disabled="true"])')?.focus()
  }, [menu])

  useEffect(() => {
    const onPointerDown = (e: PointerEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) close()
    }
    const onBlurOrResize = () => close()
    document.addEventListener('pointerdown', onPointerDown, true)
    window.addEventListener('resize', onBlurOrResize)
    window.addEventListener('blur', onBlurOrResize)
    return () => {
      document.removeEventListener('pointerdown', onPointerDown, true)
      window.removeEventListener('resize', onBlurOrResize)
      window.removeEventListener('blur', onBlurOrResize)
    }
  }, [close])

  const onKeyDown = (e: KeyboardEvent) => {
    const items = [...(ref.current?.querySelectorAll<HTMLElement>('[role="menuitem"]:not([aria-disabled="true"])') ?? [])]
    const index = items.indexOf(document.activeElement as HTMLElement)
    const focusAt = (i: number) => items[(i + items.length) % items.length]?.focus()
    if (e.key === 'Escape' || e.key === 'Tab') {
      e.preventDefault()
      e.stopPropagation()
      dismiss(true)
    } else if (e.key === 'ArrowDown') {
      e.preventDefault()
      focusAt(index + 1)
    } else if (e.key === 'ArrowUp') {
      e.preventDefault()
      focusAt(index < 0 ? -1 : index - 1)
    } else if (e.key === 'Home') {
      e.preventDefault()
      focusAt(0)
    } else if (e.key === 'End') {
      e.preventDefault()
      focusAt(-1)
    } else if (e.key.length === 1 && /\S/.test(e.key)) {
      const letter = e.key.toLowerCase()
      const start = index + 1
      const next = [...items.slice(start), ...items.slice(0, start)].find((el) => el.textContent?.trim().toLowerCase().startsWith(letter))
      next?.focus()
    }
  }

  return (
    <div
      ref={ref}
      className="menu"
      role="menu"
      aria-label={menu.label}
      style={{ left: pos.left, top: pos.top }}
      onKeyDown={onKeyDown}
      onContextMenu={(e) => e.preventDefault()}
    >
      {menu.entries.map((entry, i) =>
        entry.kind === 'separator' ? (
          <div key={i} className="menu-separator" role="separator" />
        ) : (
          <button
            key={i}
            type="button"
            role="menuitem"
            tabIndex={-1}
            className={`menu-item${entry.danger ? ' menu-item-danger' : ''}`}
            aria-disabled={entry.disabled || undefined}
            onClick={() => {
              if (entry.disabled) return
              dismiss(true)
              entry.onSelect()
            }}
          >
            <span className="menu-item-icon">{entry.icon && <Icon name={entry.icon} size={14} />}</span>
            <span className="menu-item-label">{entry.label}</span>
            {entry.hint && <span className="menu-item-hint">{entry.hint}</span>}
          </button>
        )
      )}
    </div>
  )
}
