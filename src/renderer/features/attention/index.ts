/** The attention feature: tells the core which thread the person is looking at. */
export { startViewingSync } from './viewing-sync'
