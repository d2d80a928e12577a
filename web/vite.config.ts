import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// `npm run dev -w web` proxies the API to a server started with `npm run dev` (port 7700).
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:7700',
      '/ws': { target: 'ws://127.0.0.1:7700', ws: true },
    },
  },
});
