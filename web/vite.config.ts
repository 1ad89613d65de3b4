import { defineConfig } from 'vite';
// https://github.com/vitejs/vite-plugin-vue
import vue from '@vitejs/plugin-vue';
// https://vite-pwa-org.netlify.app/guide/inject-manifest.html
import { VitePWA } from 'vite-plugin-pwa';

/** The dev server proxies the API and models to a sync-server started separately. */
const API_TARGET = 'http://127.0.0.1:8787';
// The wasm backend binaries (~0.4 MB each) and the tfjs chunk exceed workbox's 2 MiB default
// only together with headroom for growth; 8 MiB is a deliberate ceiling, not "unlimited".
const PRECACHE_LIMIT_BYTES = 8 * 1024 * 1024;
export const THEME_COLOR = '#1e3a5f';

export default defineConfig({
  server: { proxy: { '/api': API_TARGET, '/models': API_TARGET } },
  preview: { proxy: { '/api': API_TARGET, '/models': API_TARGET } },
  // The tfjs engine chunk (~1 MB, ~250 KB gzip) is loaded lazily after first paint, on purpose.
  build: { target: 'es2022', chunkSizeWarningLimit: 1100 },
  // The backend-measuring worker shares the lazily loaded engine code.
  worker: { format: 'es' },
  plugins: [
    vue(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'service-worker',
      filename: 'sw.ts',
      registerType: 'autoUpdate',
      injectRegister: false,
      includeAssets: ['icons/favicon-64.png', 'icons/apple-touch-icon-180.png'],
      manifest: {
        name: 'Digit Loop: handwritten digit recognizer',
        short_name: 'Digit Loop',
        description: 'Draw a digit, see what the model thinks, teach it when it is wrong.',
        theme_color: THEME_COLOR,
        background_color: '#f4f6fa',
        display: 'standalone',
        start_url: '/',
        scope: '/',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          {
            src: '/icons/maskable-512.png',
            sizes: '512x512',
            type: 'image/png',
            purpose: 'maskable',
          },
        ],
      },
      injectManifest: {
        globPatterns: ['**/*.{js,css,html,png,svg,wasm,webmanifest}'],
        maximumFileSizeToCacheInBytes: PRECACHE_LIMIT_BYTES,
      },
      devOptions: { enabled: false },
    }),
  ],
});
