import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  root: 'client',
  // The demo imports the toolkit by its package entry points, served from the source in this repo.
  resolve: { alias: [{ find: /^netplay-toolkit\/(\w+)$/, replacement: fileURLToPath(new URL('./entry/$1.ts', import.meta.url)) }] },
  build: { outDir: '../dist-demo', emptyOutDir: true },
  test: {
    root: '.',
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // Integration tests open real UDP/WebRTC sockets; on 2 cores they are steadier one file at a time.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    typecheck: { enabled: false },
  },
})
