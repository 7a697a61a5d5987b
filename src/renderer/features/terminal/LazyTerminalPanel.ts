import { lazyPanel } from '../../ui/lazy-panel'

/** The Terminal tab, loaded on first use so xterm stays out of the startup bundle. */
export const LazyTerminalPanel = lazyPanel(() => import('./TerminalPanel').then((m) => m.TerminalPanel))
