import { defineConfig } from 'vitest/config'

export default defineConfig({
  root: 'client',
  build: { outDir: '../dist/client', emptyOutDir: true },
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
