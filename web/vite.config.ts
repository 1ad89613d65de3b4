import { defineConfig } from 'vite';
// https://github.com/vitejs/vite-plugin-vue
import vue from '@vitejs/plugin-vue';

export default defineConfig({
  plugins: [vue()],
});
