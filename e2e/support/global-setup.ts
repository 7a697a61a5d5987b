import { isolateProcessEnv } from '../../test/helpers/isolated-env'

/**
 * Runs once before any spec. Playwright's workers, and every core, CLI and browser they start,
 * inherit this environment: HOME in a temp folder, PATH without the machine's agent CLIs, no tokens.
 */
export default function globalSetup(): void {
  isolateProcessEnv()
}
