import { computed, ref } from 'vue';

export type RouteName = 'recognize' | 'dashboard';

/** Hash routes: they need no server rewrite and work from the precached shell offline. */
const ROUTES: Record<string, RouteName> = {
  '': 'recognize',
  '#/': 'recognize',
  '#/dashboard': 'dashboard',
};

const hash = ref(typeof location === 'undefined' ? '' : location.hash);
if (typeof window !== 'undefined')
  addEventListener('hashchange', () => (hash.value = location.hash));

/** The current view, from the URL hash. */
export function useRoute() {
  const route = computed<RouteName>(() => ROUTES[hash.value] ?? 'recognize');
  return { route };
}
