import { lazyPanel } from '../../ui/lazy-panel'

/** The CI tab, loaded on first use so the CI views stay out of the startup bundle. */
export const LazyCiTab = lazyPanel(() => import('./CiTab').then((m) => m.CiTab))
