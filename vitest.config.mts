import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // Every file runs with an environment that does not depend on the machine (HOME, PATH without
    // agent CLIs, no tokens): see test/helpers/isolated-env.ts.
    setupFiles: ['test/helpers/isolate-setup.ts'],
    // Ceilings for hangs, not expectations of speed: waits end when their condition holds (HANG_MS).
    testTimeout: 180_000,
    hookTimeout: 60_000,
    // A failure is a failure: nothing is retried to hide it.
    retry: 0,
    pool: 'forks',
    // Files run one at a time: terminal, git and CLI tests spawn many real processes, and on a 2-core
    // machine running files side by side only adds contention (and stretches every wait).
    fileParallelism: false
  }
})
