/** The fan-out feature: one prompt started in several threads. */
export { FanoutDialog } from './FanoutDialog'
