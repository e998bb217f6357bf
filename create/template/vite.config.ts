import { defineConfig } from 'vite'

// The client lives in client/; `npm start` builds it into dist/, which the game server serves.
export default defineConfig({
  root: 'client',
  build: { outDir: '../dist', emptyOutDir: true },
})
