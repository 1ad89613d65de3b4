import { computed, ref } from 'vue';

export type RouteName = 'recognize' | 'answers' | 'dashboard';

/** Real paths: the server and the service worker answer each with the app shell. */
export const ROUTE_PATHS: Record<RouteName, string> = {
  recognize: '/',
  answers: '/answers',
  dashboard: '/dashboard',
};

const BY_PATH = new Map(
  Object.entries(ROUTE_PATHS).map(([name, path]) => [path, name as RouteName]),
);

/** The view for a path; unknown paths show the drawing page. A trailing slash is ignored. */
export function routeOf(pathname: string): RouteName {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  return BY_PATH.get(path) ?? 'recognize';
}

/**
 * The real path an old hash link (`/#/dashboard`) meant, or null when the hash is no route
 * (an in-page anchor stays where it is).
 */
export function pathOfHash(hash: string): string | null {
  if (!hash.startsWith('#/')) return null;
  const path = hash.slice(1);
  return BY_PATH.has(path) ? path : ROUTE_PATHS.recognize;
}

const pathname = ref(typeof location === 'undefined' ? '/' : location.pathname);

function redirectHash(): void {
  const path = pathOfHash(location.hash);
  if (path === null) return;
  history.replaceState(null, '', path + location.search);
  pathname.value = location.pathname;
}

/** Moves to `path` without a reload, as a link would. */
export function navigate(path: string): void {
  if (path === location.pathname) return;
  history.pushState(null, '', path);
  pathname.value = location.pathname;
  scrollTo(0, 0);
}

// Same-origin links to a view change the view in place; modified clicks (new tab) stay native.
function onClick(event: MouseEvent): void {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const link = (event.target as Element | null)?.closest?.('a[href]');
  if (!(link instanceof HTMLAnchorElement) || link.target || link.hasAttribute('download')) return;
  const url = new URL(link.href);
  if (url.origin !== location.origin) return;
  const path = url.hash.startsWith('#/') ? pathOfHash(url.hash) : url.pathname;
  if (path === null || !BY_PATH.has(path)) return;
  event.preventDefault();
  navigate(path);
}

if (typeof window !== 'undefined') {
  redirectHash();
  addEventListener('popstate', () => (pathname.value = location.pathname));
  addEventListener('hashchange', redirectHash);
  document.addEventListener('click', onClick);
}

/** The current view, from the URL path. */
export function useRoute() {
  const route = computed<RouteName>(() => routeOf(pathname.value));
  return { route, navigate };
}
