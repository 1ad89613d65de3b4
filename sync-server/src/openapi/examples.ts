import {
  encodePixels,
  modelUrl,
  type FeedbackResponse,
  type Manifest,
  type ReviewPage,
  type ReviewResponse,
  type Stats,
  type Status,
} from '../contract';

// Examples are typed by the contract, and a test checks each against the document's schemas.
const V1 = '2026-11-26T12-00-00-000Z';
const V2 = '2026-11-27T08-30-00-000Z';

export const FEEDBACK_BATCH = {
  items: [
    {
      id: '3f1c2b7e-8a4d-4c1e-9b2a-5d6e7f8a9b0c',
      pixels: encodePixels(new Uint8Array(784)),
      label: 7,
      predicted: 1,
      confidence: 0.62,
      modelVersion: V2,
      createdAt: '2026-11-27T09:15:00.000Z',
      clientId: '9b2e6c1a-4f3d-4e8b-a1c7-0d5f2e8b6a34',
    },
  ],
};

export const FEEDBACK_RESPONSE: FeedbackResponse = {
  accepted: 1,
  duplicates: 0,
  rejected: [],
  subset: { index: 3, count: 7, threshold: 10 },
};

export const FEEDBACK_RESPONSE_PARTIAL: FeedbackResponse = {
  accepted: 1,
  duplicates: 1,
  rejected: [
    { index: 2, id: 'not-a-uuid', reason: 'id: Invalid UUID' },
    { index: 3, id: '5a7d0c2e-1b3f-4d6a-8c9e-2f4b6d8a0c1e', reason: 'quota' },
  ],
  subset: { index: 3, count: 8, threshold: 10 },
};

export const MANIFEST: Manifest = {
  schemaVersion: 1,
  current: V2,
  versions: [V1, V2].map((version, i) => ({
    version,
    modelUrl: modelUrl(version),
    createdAt: i === 0 ? '2026-11-26T12:00:00.000Z' : '2026-11-27T08:30:00.000Z',
    parent: i === 0 ? null : V1,
    trainedOn: { subsets: i === 0 ? [] : [0, 1, 2], samples: i === 0 ? 60000 : 30 },
    metrics: { mnistTestAccuracy: 0.99, holdoutAccuracy: i === 0 ? null : 0.9 },
    bytes: 560000,
  })),
  history: [
    {
      startedAt: '2026-11-27T08:29:00.000Z',
      finishedAt: '2026-11-27T08:30:00.000Z',
      outcome: 'published',
      version: V2,
    },
  ],
};

export const STATUS: Status = {
  currentVersion: V2,
  subset: { index: 3, count: 7, threshold: 10 },
  retrain: {
    state: 'idle',
    lastRun: {
      startedAt: '2026-11-27T08:29:00.000Z',
      finishedAt: '2026-11-27T08:30:00.000Z',
      outcome: 'published',
      version: V2,
    },
  },
  feedback: { total: 37, sealedSubsets: 3 },
  review: { pending: 2 },
};

const REVIEWED_ID = '3f1c2b7e-8a4d-4c1e-9b2a-5d6e7f8a9b0c';

export const REVIEW_PAGE: ReviewPage = {
  items: [
    {
      id: REVIEWED_ID,
      label: 7,
      predicted: 1,
      confidence: 0.995,
      clientId: '9b2e6c1a-4f3d-4e8b-a1c7-0d5f2e8b6a34',
      flags: ['confident_disagreement'],
      createdAt: '2026-11-27T09:15:00.000Z',
      state: 'pending',
      imageUrl: `/api/admin/review/${REVIEWED_ID}/image`,
    },
  ],
  next: '100',
  pending: 2,
};

export const REVIEW_BY_IDS = { ids: [REVIEWED_ID], decision: 'reject' };
export const REVIEW_BY_CLIENT = {
  clientId: '9b2e6c1a-4f3d-4e8b-a1c7-0d5f2e8b6a34',
  decision: 'reject',
};
export const REVIEW_RESPONSE: ReviewResponse = { decided: 1, unknown: [], pending: 1 };

const confusion: number[][] = Array.from({ length: 10 }, (_, label) =>
  Array.from({ length: 10 }, (_, predicted) => (label === predicted ? 3 : 0)),
);
confusion[7]![1] = 1;

export const STATS: Stats = {
  scored: 31,
  versions: [{ version: V1, answers: 31, correct: 30, confusion }],
  prequential: [{ from: 0, answers: 31, correct: 30, until: 1_764_232_200_000 }],
};

export const ROLLBACK = { version: V1 };

export const EXAMPLE_VERSION = V2;
