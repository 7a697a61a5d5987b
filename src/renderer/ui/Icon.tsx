import type { ReactElement } from 'react'

const paths = {
  plus: 'M8 3v10M3 8h10',
  chevron: 'M6 4l4 4-4 4',
  more: 'M3.5 8h.01M8 8h.01M12.5 8h.01',
  list: 'M5.5 4h8M5.5 8h8M5.5 12h8M2.5 4h.01M2.5 8h.01M2.5 12h.01',
  dashboard: 'M2.5 2.5h4.5v4.5h-4.5zM9 2.5h4.5v4.5h-4.5zM2.5 9h4.5v4.5h-4.5zM9 9h4.5v4.5h-4.5z',
  folder: 'M2 4.5a1 1 0 0 1 1-1h3l1.5 1.5H13a1 1 0 0 1 1 1V12a1 1 0 0 1-1 1H3a1 1 0 0 1-1-1z',
  branch: 'M5 3v7M5 10a2 2 0 1 0 0 4 2 2 0 0 0 0-4zM11 6a2 2 0 1 0 0-4 2 2 0 0 0 0 4zM11 6c0 3-6 2-6 4',
  copy: 'M5.5 5.5h7v8h-7zM3.5 10.5v-8h7',
  check: 'M3 8.5l3 3 7-7',
  close: 'M4 4l8 8M12 4l-8 8',
  archive: 'M2.5 3h11v3h-11zM3.5 6v7h9V6M6.5 8.5h3',
  restore: 'M3 8a5 5 0 1 0 1.5-3.5M3 3v2.5h2.5',
  trash: 'M3 4.5h10M6.5 4.5V3h3v1.5M4.5 4.5l.5 9h6l.5-9',
  pencil: 'M10.5 2.5l3 3-7.5 7.5H3v-3zM9 4l3 3',
  alert: 'M8 2l6.5 11.5h-13zM8 6.5v3M8 11.5h.01',
  info: 'M8 14.5a6.5 6.5 0 1 0 0-13 6.5 6.5 0 0 0 0 13zM8 7.5v4M8 5h.01',
  repo: 'M3.5 2.5h8a1 1 0 0 1 1 1v10h-8.5a.5.5 0 0 1-.5-.5zM3.5 11.5h9M6 2.5v6l1.25-1 1.25 1v-6',
  terminal: 'M3 4l4 4-4 4M8.5 12h4.5',
  eye: 'M1.5 8s2.5-4.5 6.5-4.5S14.5 8 14.5 8 12 12.5 8 12.5 1.5 8 1.5 8zM8 10a2 2 0 1 0 0-4 2 2 0 0 0 0 4z',
  open: 'M9 3h4v4M13 3L7.5 8.5M11 9.5V13H3V5h3.5',
  paste: 'M5.5 3H4a1 1 0 0 0-1 1v9a1 1 0 0 0 1 1h8a1 1 0 0 0 1-1V4a1 1 0 0 0-1-1h-1.5M6 2h4v2.5H6zM6 8h4M6 10.5h4',
  clear: 'M3 13.5h10M5 11l6.5-6.5M6.5 4.5l5 5',
  search: 'M7 12a5 5 0 1 0 0-10 5 5 0 0 0 0 10zM10.7 10.7L14 14',
  arrowUp: 'M8 13V3M4 7l4-4 4 4',
  arrowDown: 'M8 3v10M4 9l4 4 4-4',
  download: 'M8 2.5v8M4.5 7l3.5 3.5L11.5 7M3 12v1.5h10V12',
  fork: 'M4.5 2.5v3.5a2 2 0 0 0 2 2h3a2 2 0 0 1 2 2v3.5M4.5 13.5v-5M4.5 2.5a1 1 0 1 0 0 .01M11.5 13.5a1 1 0 1 0 0 .01',
  sparkle: 'M8 1.5v13M1.5 8h13M3.4 3.4l9.2 9.2M12.6 3.4l-9.2 9.2',
  braces:
    'M6 2.5c-1.5 0-2 .5-2 2v1.5c0 1-.5 2-1.5 2 1 0 1.5 1 1.5 2v1.5c0 1.5.5 2 2 2M10 2.5c1.5 0 2 .5 2 2v1.5c0 1 .5 2 1.5 2-1 0-1.5 1-1.5 2v1.5c0 1.5-.5 2-2 2',
  settings:
    'M8 10a2 2 0 1 0 0-4 2 2 0 0 0 0 4zM8 1.5v2M8 12.5v2M1.5 8h2M12.5 8h2M3.4 3.4l1.4 1.4M11.2 11.2l1.4 1.4M3.4 12.6l1.4-1.4M11.2 4.8l1.4-1.4',
  refresh: 'M13 8a5 5 0 1 1-1.46-3.54M13 2.5v2.5h-2.5',
  send: 'M2.5 7.5l11-5-5 11-1.5-4.5zM7 9l6.5-6.5',
  play: 'M5 3.5v9l7-4.5z',
  stop: 'M4.5 4.5h7v7h-7z',
  circle: 'M8 13a5 5 0 1 0 0-10 5 5 0 0 0 0 10z',
  minus: 'M4.5 8h7',
  cancelled: 'M8 13a5 5 0 1 0 0-10 5 5 0 0 0 0 10zM4.5 11.5l7-7',
  upload: 'M8 10.5V2.5M5 5.5l3-3 3 3M3 10v3.5h10V10',
  'pull-request':
    'M4.5 5.5v5M4.5 2a1.75 1.75 0 1 0 0 3.5 1.75 1.75 0 0 0 0-3.5zM4.5 10.5a1.75 1.75 0 1 0 0 3.5 1.75 1.75 0 0 0 0-3.5zM11.5 10.5a1.75 1.75 0 1 0 0 3.5 1.75 1.75 0 0 0 0-3.5zM11.5 10.5V6a2 2 0 0 0-2-2H7M8.75 2.25L7 4l1.75 1.75'
} as const

/** Names of the icons Skein draws. */
export type IconName = keyof typeof paths

/** A 16×16 stroked icon that takes the current text colour; decorative (aria-hidden). */
export function Icon({ name, size = 14, className }: { name: IconName; size?: number; className?: string }): ReactElement {
  return (
    <svg
      className={className ? `icon ${className}` : 'icon'}
      width={size}
      height={size}
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth={name === 'more' ? 2.4 : 1.4}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={paths[name]} />
    </svg>
  )
}
