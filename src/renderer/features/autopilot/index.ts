/** The CI autopilot: its section in the CI tab, the header badge, and the routing of its notifications. */
export { AutopilotBadge } from './AutopilotBadge'
export { AutopilotSection } from './AutopilotSection'
export { loadAutopilot, routeAutopilotGaveUp, routeAutopilotUpdated } from './autopilot-actions'
