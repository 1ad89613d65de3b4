import { secureHeaders } from 'hono/secure-headers';

/**
 * Content-Security-Policy for the app and the API. tfjs needs `'wasm-unsafe-eval'` to
 * compile its wasm backend, `blob:` for workers and object URLs of uploaded images, and
 * `data:` for canvas snapshots. No COOP/COEP: cross-origin isolation would select the
 * threaded wasm build, which hangs when minified.
 */
export const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
  workerSrc: ["'self'", 'blob:'],
  connectSrc: ["'self'", 'blob:', 'data:'],
  imgSrc: ["'self'", 'blob:', 'data:'],
  // Vue writes style attributes at run time; inline styles carry no script risk here.
  styleSrc: ["'self'", "'unsafe-inline'"],
  fontSrc: ["'self'", 'data:'],
  manifestSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

export function securityHeaders() {
  return secureHeaders({
    contentSecurityPolicy: CSP_DIRECTIVES,
    crossOriginOpenerPolicy: false,
    crossOriginEmbedderPolicy: false,
    // Strict-Transport-Security would pin a plain-HTTP local server to HTTPS.
    strictTransportSecurity: false,
  });
}
