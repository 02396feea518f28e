import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Relative asset paths: the built folder can be served under any path (or copied into another
// app's static files) without rebuilding; the gateway's address comes from config.json at run time.
export default defineConfig({
  base: './',
  plugins: [react()],
  build: { outDir: 'dist', sourcemap: true },
});
