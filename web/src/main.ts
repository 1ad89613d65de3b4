import { createApp } from 'vue';
import { registerSW } from 'virtual:pwa-register';
import App from './App.vue';
import { log } from './log';
import './style.css';

createApp(App).mount('#app');

// The service worker exists only in production builds; it updates itself (autoUpdate).
if (import.meta.env.PROD) {
  registerSW({
    immediate: true,
    onRegisterError: (error: unknown) => log.warn('service worker registration failed', error),
  });
}
