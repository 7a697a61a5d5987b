/** The thread view feature: one thread's header and tabs. */
export { ThreadView } from './ThreadView'
