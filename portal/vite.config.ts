import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// `vite portal` (dev, proxying /api to a running server) and `vite build portal` (to portal/dist).
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, manifest: true },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
})
