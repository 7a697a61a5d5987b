/** The dashboard feature: every live thread at once. */
export { Dashboard } from './Dashboard'
