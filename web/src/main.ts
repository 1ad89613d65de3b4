import { createApp, watch } from 'vue';
import { registerSW } from 'virtual:pwa-register';
import App from './App.vue';
import { log } from './log';
import { usePredictor } from './predict/use-predictor';
import './style.css';

createApp(App).mount('#app');

// The service worker exists only in production builds; it updates itself (autoUpdate). It is
// registered once the model is ready (or failed), so precaching ~3.5 MB does not compete with
// the first load; the files it precaches are then mostly in the HTTP cache already.
if (import.meta.env.PROD) {
  const { state } = usePredictor();
  const stop = watch(
    state,
    (s) => {
      if (s !== 'ready' && s !== 'error') return;
      queueMicrotask(() => stop());
      registerSW({
        immediate: true,
        onRegisterError: (error: unknown) => log.warn('service worker registration failed', error),
      });
    },
    { immediate: true },
  );
}
