import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import react from '@vitejs/plugin-react'
import type { Plugin } from 'vite'
import { META_CONTENT_SECURITY_POLICY } from './src/main/core/server/csp'

// Built pages carry the strict CSP; the dev server is left alone because React refresh needs an inline script.
const cspMeta = (): Plugin => ({
  name: 'skein-csp-meta',
  apply: 'build',
  transformIndexHtml: () => [
    { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: META_CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' }
  ]
})

// main/: the Electron shell plus the plain-Node entry points that host the same core (`core-process`
// in the desktop app's utility process, `serve` for browser mode, `cli` for the skein command).
// None of them but index imports electron.
export default defineConfig({
  main: {
    build: {
      // Bundled, not required at run time: Node resolves and compiles each of zod's ~100 files one by one,
      // which was a third of the core's start-up. node-pty (native) and the Anthropic SDK (loaded on first use) stay out.
      externalizeDeps: { exclude: ['zod', 'ws', 'simple-git', 'shell-quote'] },
      rollupOptions: {
        input: {
          index: resolve('src/main/index.ts'),
          'core-process': resolve('src/main/core-process.ts'),
          serve: resolve('src/main/serve.ts'),
          cli: resolve('src/cli/skein.ts')
        },
        external: ['node-pty'],
        // `skein` is run directly (package.json bin), so its entry needs a shebang.
        output: { banner: (chunk: { fileName: string }) => (chunk.fileName === 'cli.js' ? '#!/usr/bin/env node' : '') }
      }
    }
  },
  preload: {
    build: {
      rollupOptions: { input: { index: resolve('src/preload/index.ts') } }
    }
  },
  renderer: {
    root: resolve('src/renderer'),
    build: {
      minify: true,
      rollupOptions: { input: { index: resolve('src/renderer/index.html') } }
    },
    plugins: [react(), cspMeta()]
  }
})
