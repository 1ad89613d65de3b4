import { Hono } from 'hono';
import { compress } from 'hono/compress';
import { cors } from 'hono/cors';
import { requestId } from 'hono/request-id';
import type { ServerLimitsConfig } from './config';
import type { Logger } from './log';
import type { Metrics } from './metrics';
import { bodyLimits } from './middleware/body-gate';
import { clientAddress } from './middleware/client-address';
import { notFound, onError } from './middleware/errors';
import { metricsAuth } from './middleware/metrics-auth';
import { rateLimit } from './middleware/rate-limit';
import { requestLog } from './middleware/request-log';
import type { ManifestStore } from './models/manifest-store';
import { openApiRoutes } from './openapi/routes';
import type { RetrainDriver } from './retrain/driver';
import { adminRoutes } from './routes/admin';
import { feedbackRoute } from './routes/feedback';
import { manifestRoute, modelFilesRoute } from './routes/model';
import { opsRoutes } from './routes/ops';
import { statsRoute } from './routes/stats';
import { statusRoute } from './routes/status';
import type { AnswerInsights } from './stats/insights';
import type { ReviewDesk } from './storage/review-desk';
import type { FeedbackStorage } from './storage/store';
import { securityHeaders } from './web/security-headers';
import { staticWeb } from './web/static-web';

export interface AppDeps {
  store: FeedbackStorage;
  /** Flagged answers and review decisions (the store's: see `ReviewDesk`). */
  review: ReviewDesk;
  /** Statistics and the admin's recent answers (the store's). */
  insights: AnswerInsights;
  manifests: ManifestStore;
  driver: RetrainDriver;
  metrics: Metrics;
  log: Logger;
  modelsDir: string;
  /** The built web app; skipped (with a log line) when it has no index.html. */
  webDist: string;
  adminToken: string | null;
  adminAuthFailuresPerMin?: number;
  /** The admin audit log; none is written without it. */
  adminAuditLog?: string | null;
  /** `/metrics` wants this bearer token; open when null or absent. */
  metricsToken?: string | null;
  /** Caps and deadline for request bodies; unbounded without them (in-memory tests). */
  limits?: Pick<ServerLimitsConfig, 'bodyTimeoutMs' | 'maxBodies' | 'maxBodiesPerClient'>;
  rateLimitPerMin: number;
  corsOrigins: string[];
  /** Rate-limit key of a request; the peer address by default. */
  clientKey?: Parameters<typeof rateLimit>[0]['key'];
}

/** The whole HTTP surface; `main.ts` serves it, tests call `app.request()`. */
export function createApp(deps: AppDeps) {
  const { log } = deps;
  const allowed = new Set(deps.corsOrigins);
  deps.metrics.trackLiveVersion(() => deps.manifests.current()?.manifest.current ?? null);
  const app = new Hono()
    .use(requestId())
    .use(requestLog(log, deps.metrics))
    .use(securityHeaders())
    .use(
      bodyLimits(deps.limits, deps.clientKey ?? clientAddress, (n) =>
        deps.metrics.bodiesInProgress(n),
      ),
    )
    .use('/metrics', metricsAuth(deps.metricsToken ?? null))
    .use('/api/*', cors({ origin: (o) => (allowed.has(o) ? o : null), maxAge: 600 }))
    .use('/models/*', cors({ origin: (o) => (allowed.has(o) ? o : null), allowMethods: ['GET'] }))
    // JSON answers and model.json go out compressed (the web's own files are precompressed).
    .use('/api/*', compress())
    .use('/models/*', compress())
    .use(
      '/api/feedback',
      rateLimit({ perMinute: deps.rateLimitPerMin, key: deps.clientKey ?? clientAddress }),
    )
    .route('/api/feedback', feedbackRoute(deps))
    .route('/api/model', manifestRoute(deps.manifests))
    .route('/api/status', statusRoute(deps))
    .route('/api/stats', statsRoute(deps))
    .route('/api/admin', adminRoutes(deps))
    .route('/models', modelFilesRoute(deps.modelsDir))
    .route('/', opsRoutes(deps));
  // Outside the typed chain: the docs are no part of `AppType` (and of the web's client).
  app.route('/api', openApiRoutes());
  const web = staticWeb(deps.webDist, log);
  if (web) app.get('*', web);
  app.notFound(notFound);
  app.onError(onError(log));
  return app;
}

/** The typed routes, for `hc<AppType>` in the web app. */
export type AppType = ReturnType<typeof createApp>;
