// vitest setupFile: every test file runs with an environment that does not depend on the machine.
import { isolateProcessEnv } from './isolated-env'

isolateProcessEnv()
