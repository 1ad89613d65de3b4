// Generated from the OpenAPI document (GET /api/openapi.json) by openapi-typescript:
// `npm run openapi:types -w sync-server`. Do not edit; a test fails when it is stale.

export interface paths {
  '/api/feedback': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Send answered predictions (1–100 per request)
     * @description Each item is judged alone: valid new items are stored, an id seen before (in any letter case) counts as a duplicate and is stored once, invalid items come back in `rejected`. The 200 is sent only once the accepted items are durable, so a client may delete what it sent on a 200 and must resend on anything else (ids make resending safe).
     */
    post: operations['postFeedback'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/model/manifest': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The model manifest: which version is live, and every kept one
     * @description Revalidate on every load: `Cache-Control: no-cache` with an `ETag`.
     */
    get: operations['getManifest'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/models/{version}/{file}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A file of a published model version (immutable, cache forever) */
    get: operations['getModelFile'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/status': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Live version, subset progress, retrain state, totals */
    get: operations['getStatus'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/stats': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Users' accuracy per version (confusion matrix) and over time */
    get: operations['getStats'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/rollback': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Point the live model at a kept version */
    post: operations['rollback'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/retrain': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Ask for a retrain run now */
    post: operations['retrain'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/recent': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The newest answers per confirmed digit, with their images */
    get: operations['recentAnswers'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/review': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Flagged answers, by review state, oldest first
     * @description Answers flagged at ingest or held back by the trainer (and any answer a decision was made on), 100 per page; pass `next` as `cursor` for the next page. Flags set at ingest: `confident_disagreement`, `not_digit_like`, `burst`; set by the trainer, which held the answer back (`new_data/disputed.jsonl`): `disputed`, `distrusted_client` (sync-server/README.md, "Trust").
     */
    get: operations['listReview'];
    put?: never;
    /**
     * Accept or reject answers: listed ids, or everything one client sent
     * @description Decisions are appended to `new_data/review.jsonl` and flushed before the 200; a later decision on an id overrides an earlier one. Rejected answers never train; flagged answers train once accepted. Ids the server never stored come back in `unknown`. At most 10000 ids.
     */
    post: operations['decideReview'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/admin/review/{id}/image': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The stored 28×28 image of an answer */
    get: operations['getReviewImage'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/healthz': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Liveness: the process answers */
    get: operations['getHealth'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/readyz': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Readiness: the store takes writes (and the database answers) */
    get: operations['getReadiness'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/metrics': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Prometheus metrics
     * @description Open, or behind `Authorization: Bearer $METRICS_TOKEN` when the server sets `METRICS_TOKEN`.
     */
    get: operations['getMetrics'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/openapi.json': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** This document (OpenAPI 3.1), generated from the zod contract */
    get: operations['getOpenApi'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/docs': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** API reference page (works offline: every asset is served here) */
    get: operations['getDocs'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/api/docs/{asset}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A script of the reference page */
    get: operations['getDocsAsset'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: {
    /** @description One answered prediction. */
    FeedbackItem: {
      /** Format: uuid */
      id: string;
      /** @description base64 of 784 bytes: 28×28 row-major, 0 = background, 255 = ink */
      pixels: string;
      label: number;
      predicted: number | null;
      confidence: number | null;
      modelVersion: string | null;
      /** Format: date-time */
      createdAt: string;
      /** Format: uuid */
      clientId?: string;
    };
    /** @description The envelope is judged whole (1–100 items); each item alone, so a bad item comes back in `rejected` of the 200. */
    FeedbackBatch: {
      items: components['schemas']['FeedbackItem'][];
    };
    /** @description A version the manifest keeps. */
    RollbackRequest: {
      version: string;
    };
    /** @description A decision on listed ids (1–10,000), or on everything one client sent. */
    ReviewRequest:
      | {
          ids: string[];
          /** @enum {string} */
          decision: 'accept' | 'reject';
        }
      | {
          /** Format: uuid */
          clientId: string;
          /** @enum {string} */
          decision: 'accept' | 'reject';
        };
    /** @description The body of every 4xx and 5xx answer. */
    ErrorBody: {
      error: {
        code: string;
        message: string;
        details?: unknown;
      };
    };
    /** @description The open subset and its size. */
    SubsetProgress: {
      index: number;
      count: number;
      threshold: number;
    };
    /** @description An item refused, and why. */
    RejectedItem: {
      index: number;
      id?: string;
      reason: string;
    };
    /** @description Sent only once the accepted items are durable. */
    FeedbackResponse: {
      accepted: number;
      duplicates: number;
      rejected: components['schemas']['RejectedItem'][];
      subset: components['schemas']['SubsetProgress'];
    };
    /** @description `models/manifest.json`. */
    Manifest: {
      /** @constant */
      schemaVersion: 1;
      current: string;
      versions: {
        version: string;
        modelUrl: string;
        /** Format: date-time */
        createdAt: string;
        parent: string | null;
        trainedOn: {
          subsets: number[];
          samples: number;
        };
        metrics: {
          mnistTestAccuracy: number;
        } & {
          [key: string]: number | null;
        };
        bytes: number;
        training?: {
          /** @enum {string} */
          kind: 'base' | 'retrain';
          epochs: number;
          seed: number;
          backend: string;
          durationMs: number;
          batchSize?: number;
          learningRate?: number;
        };
      }[];
      history: {
        /** Format: date-time */
        startedAt: string;
        /** Format: date-time */
        finishedAt: string;
        /** @enum {string} */
        outcome: 'published' | 'rejected' | 'failed' | 'rolled-back';
        version?: string;
        parent?: string | null;
        reason?: string;
        metrics?: {
          [key: string]: number | null;
        };
        trainedOn?: {
          subsets: number[];
          samples: number;
        };
        thresholds?: {
          maxMnistDrop: number;
          maxDigitDrop: number;
          holdoutAlpha: number;
        };
      }[];
      champion?: {
        version: string;
        mnistTestAccuracy: number;
        perDigitRecall: (number | null)[];
      };
    };
    /** @description Progress, retrain state and totals. */
    Status: {
      currentVersion: string | null;
      subset: components['schemas']['SubsetProgress'];
      retrain: {
        /** @enum {string} */
        state: 'idle' | 'running' | 'queued';
        lastRun: {
          /** Format: date-time */
          startedAt: string;
          /** Format: date-time */
          finishedAt: string;
          /** @enum {string} */
          outcome: 'published' | 'rejected' | 'failed';
          version?: string;
          reason?: string;
        } | null;
      };
      feedback: {
        total: number;
        sealedSubsets: number;
      };
      review?: {
        pending: number;
      };
    };
    /** @description Users' answers scored per version and over time. */
    Stats: {
      scored: number;
      versions: {
        version: string | null;
        answers: number;
        correct: number;
        confusion: number[][];
      }[];
      prequential: {
        from: number;
        answers: number;
        correct: number;
        until: number;
      }[];
    };
    /** @description The newest answers per digit. */
    RecentAnswers: {
      digits: {
        label: number;
        answers: {
          id: string | null;
          pixels: string;
          predicted: number | null;
          createdAt: number;
          flags: string[];
        }[];
      }[];
    };
    /** @description The process answers. */
    Health: {
      /** @constant */
      ok: true;
    };
    /** @description Whether writes can succeed now. */
    Readiness: {
      ok: boolean;
    } & {
      [key: string]: unknown;
    };
    /** @description The version now live. */
    RollbackResponse: {
      current: string;
    };
    /** @description The retrain state now. */
    RetrainResponse: {
      /** @enum {string} */
      state: 'idle' | 'running' | 'queued';
    };
    /** @description A flagged (or decided) answer. */
    ReviewItem: {
      /** Format: uuid */
      id: string;
      label: number;
      predicted: number | null;
      confidence: number | null;
      clientId: string | null;
      flags: string[];
      /** Format: date-time */
      createdAt: string;
      /** @enum {string} */
      state: 'pending' | 'accepted' | 'rejected';
      imageUrl: string;
    };
    /** @description One page of answers, oldest first. */
    ReviewPage: {
      items: components['schemas']['ReviewItem'][];
      next: string | null;
      pending: number;
    };
    /** @description Decisions recorded (durable), and unknown ids. */
    ReviewResponse: {
      decided: number;
      unknown: string[];
      pending: number;
    };
  };
  responses: {
    /** @description The body did not arrive in time; the server stops waiting for slow uploads. */
    BodyTimeout: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorBody'];
      };
    };
    /** @description The body is over 524288 bytes. */
    FeedbackTooLarge: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorBody'];
      };
    };
    /** @description The body is over 4096 bytes. */
    AdminTooLarge: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorBody'];
      };
    };
    /** @description The body is not declared `application/json`. */
    NotJson: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorBody'];
      };
    };
    /** @description Too many requests from this address; wait `Retry-After` seconds. */
    RateLimited: {
      headers: {
        /** @description Seconds to wait before trying again. */
        'Retry-After': number;
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorBody'];
      };
    };
    /** @description No bearer token, or a wrong one. */
    Unauthorized: {
      headers: {
        'WWW-Authenticate': 'Bearer';
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorBody'];
      };
    };
    /** @description The server has no `ADMIN_TOKEN`: admin routes refuse everyone. */
    AdminDisabled: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorBody'];
      };
    };
    /** @description Storage cannot take writes now (disk full, database unreachable, shutting down); try again later. */
    Unavailable: {
      headers: {
        /** @description Seconds to wait before trying again. */
        'Retry-After'?: number;
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorBody'];
      };
    };
    /** @description The database cannot answer now (PostgreSQL store, unreachable or too slow); try again later. */
    StoreDown: {
      headers: {
        /** @description Seconds to wait before trying again. */
        'Retry-After': number;
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorBody'];
      };
    };
    /** @description An unexpected error; the log has it under the request id. */
    Internal: {
      headers: {
        [name: string]: unknown;
      };
      content: {
        'application/json': components['schemas']['ErrorBody'];
      };
    };
  };
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
  postFeedback: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['FeedbackBatch'];
      };
    };
    responses: {
      /** @description Stored (or known) and durable; bad items listed in `rejected`. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['FeedbackResponse'];
        };
      };
      /** @description The envelope is malformed: not JSON, no `items`, 0 or over 100. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
      408: components['responses']['BodyTimeout'];
      413: components['responses']['FeedbackTooLarge'];
      415: components['responses']['NotJson'];
      429: components['responses']['RateLimited'];
      503: components['responses']['Unavailable'];
      default: components['responses']['Internal'];
    };
  };
  getManifest: {
    parameters: {
      query?: never;
      header?: {
        'If-None-Match'?: string;
      };
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The manifest. */
      200: {
        headers: {
          ETag: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Manifest'];
        };
      };
      /** @description The manifest is the one `If-None-Match` names. */
      304: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description No model has been published yet. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
      default: components['responses']['Internal'];
    };
  };
  getModelFile: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @example 2026-11-27T08-30-00-000Z */
        version: string;
        /**
         * @description `model.json` or a weight shard named in it.
         * @example model.json
         */
        file: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The file (tfjs layers format). */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': Record<string, never>;
          'application/octet-stream': unknown;
        };
      };
      /** @description No such version or file. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
      default: components['responses']['Internal'];
    };
  };
  getStatus: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The status. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Status'];
        };
      };
      default: components['responses']['Internal'];
    };
  };
  getStats: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The statistics. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Stats'];
        };
      };
      503: components['responses']['StoreDown'];
      default: components['responses']['Internal'];
    };
  };
  rollback: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['RollbackRequest'];
      };
    };
    responses: {
      /** @description Rolled back; the manifest names it at once. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['RollbackResponse'];
        };
      };
      /** @description Not JSON, or no valid `version`. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
      401: components['responses']['Unauthorized'];
      403: components['responses']['AdminDisabled'];
      /** @description The manifest does not keep that version. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
      408: components['responses']['BodyTimeout'];
      /** @description A retrain holds the lock, or the version’s files are gone. */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
      413: components['responses']['AdminTooLarge'];
      415: components['responses']['NotJson'];
      429: components['responses']['RateLimited'];
      default: components['responses']['Internal'];
    };
  };
  retrain: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Asked; runs now or after the one running. */
      202: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['RetrainResponse'];
        };
      };
      401: components['responses']['Unauthorized'];
      403: components['responses']['AdminDisabled'];
      /** @description The server never retrains (`RETRAIN_DRIVER=none`). */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
      429: components['responses']['RateLimited'];
      default: components['responses']['Internal'];
    };
  };
  recentAnswers: {
    parameters: {
      query?: {
        perDigit?: number;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Up to `perDigit` answers for each digit, newest first. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['RecentAnswers'];
        };
      };
      /** @description `perDigit` out of range. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
      401: components['responses']['Unauthorized'];
      403: components['responses']['AdminDisabled'];
      429: components['responses']['RateLimited'];
      503: components['responses']['StoreDown'];
      default: components['responses']['Internal'];
    };
  };
  listReview: {
    parameters: {
      query?: {
        state?: 'pending' | 'accepted' | 'rejected';
        /** @description `next` of the page before. */
        cursor?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description One page. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ReviewPage'];
        };
      };
      /** @description A bad `state` or `cursor`. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
      401: components['responses']['Unauthorized'];
      403: components['responses']['AdminDisabled'];
      429: components['responses']['RateLimited'];
      503: components['responses']['StoreDown'];
      default: components['responses']['Internal'];
    };
  };
  decideReview: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ReviewRequest'];
      };
    };
    responses: {
      /** @description Recorded, durably. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ReviewResponse'];
        };
      };
      /** @description Not JSON, or no valid `ids`/`clientId` and `decision`. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
      401: components['responses']['Unauthorized'];
      403: components['responses']['AdminDisabled'];
      408: components['responses']['BodyTimeout'];
      /** @description The body is over 524288 bytes. */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
      415: components['responses']['NotJson'];
      429: components['responses']['RateLimited'];
      503: components['responses']['StoreDown'];
      default: components['responses']['Internal'];
    };
  };
  getReviewImage: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description PNG, 8-bit grayscale, ink = 255. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'image/png': unknown;
        };
      };
      401: components['responses']['Unauthorized'];
      403: components['responses']['AdminDisabled'];
      /** @description No stored answer has this id. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
      429: components['responses']['RateLimited'];
      503: components['responses']['StoreDown'];
      default: components['responses']['Internal'];
    };
  };
  getHealth: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Alive. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Health'];
        };
      };
    };
  };
  getReadiness: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Ready. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Readiness'];
        };
      };
      /** @description Not ready: writes would fail now (the reason in `message`). */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  getMetrics: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Prometheus text exposition format. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/plain; version=0.0.4; charset=utf-8': string;
        };
      };
      /** @description `METRICS_TOKEN` is set and the request does not carry it. */
      401: {
        headers: {
          'WWW-Authenticate': 'Bearer';
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
    };
  };
  getOpenApi: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The document. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': Record<string, never>;
        };
      };
    };
  };
  getDocs: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description HTML. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/html': string;
        };
      };
    };
  };
  getDocsAsset: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        asset: 'scalar.js' | 'init.js';
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description JavaScript. */
      200: {
        headers: {
          ETag?: string;
          [name: string]: unknown;
        };
        content: {
          'text/javascript': string;
        };
      };
      /** @description The script `If-None-Match` names (Scalar’s bundle). */
      304: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description No such asset. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ErrorBody'];
        };
      };
      default: components['responses']['Internal'];
    };
  };
}
