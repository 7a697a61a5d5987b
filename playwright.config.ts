import { existsSync } from 'node:fs'
import { defineConfig } from '@playwright/test'

/** End-to-end tests: the built renderer in Debian's Chromium against a real core in browser mode. */
export default defineConfig({
  testDir: 'e2e',
  // One worker: each spec starts its own core, Chromium and agent processes; two at once on a
  // 2-core machine only stretch every wait.
  workers: 1,
  // A failure is a failure: nothing is retried to hide it.
  retries: 0,
  fullyParallel: false,
  // Ceilings for hangs, not expectations of speed: every expect waits for its condition and ends
  // as soon as it holds, so these cost nothing on a quiet machine and hold on a busy one.
  timeout: 300_000,
  expect: { timeout: 30_000 },
  // The core, the CLIs and Chromium see an environment that does not depend on the machine.
  globalSetup: './e2e/support/global-setup.ts',
  outputDir: 'test-results/artifacts',
  reporter: [['list'], ['json', { outputFile: 'test-results/e2e.json' }]],
  use: {
    headless: true,
    viewport: { width: 1280, height: 800 },
    trace: 'retain-on-failure',
    launchOptions: {
      // Debian's chromium where it exists (these machines cannot download Playwright's); elsewhere
      // (macOS and Windows runners) Playwright's own, from `npx playwright install chromium`.
      executablePath: process.env.SKEIN_CHROMIUM ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined),
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync']
    }
  }
})
