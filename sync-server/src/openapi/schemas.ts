import { z } from 'zod';
import {
  errorBodySchema,
  feedbackBatchRequestSchema,
  feedbackItemSchema,
  feedbackResponseSchema,
  healthSchema,
  manifestSchema,
  PIXELS_BASE64_PATTERN,
  readinessSchema,
  rejectedItemSchema,
  retrainResponseSchema,
  reviewItemSchema,
  reviewPageSchema,
  reviewRequestSchema,
  reviewResponseSchema,
  rollbackRequestSchema,
  rollbackResponseSchema,
  recentAnswersSchema,
  statsSchema,
  statusSchema,
  subsetProgressSchema,
} from '../contract';

type JsonSchema = Record<string, unknown>;
interface Named {
  id: string;
  description: string;
}

/** What a client sends: converted as zod input. */
const REQUESTS: [z.ZodType, Named][] = [
  [feedbackItemSchema, { id: 'FeedbackItem', description: 'One answered prediction.' }],
  [
    feedbackBatchRequestSchema,
    {
      id: 'FeedbackBatch',
      description:
        'The envelope is judged whole (1–100 items); each item alone, so a bad item comes back in `rejected` of the 200.',
    },
  ],
  [rollbackRequestSchema, { id: 'RollbackRequest', description: 'A version the manifest keeps.' }],
  [
    reviewRequestSchema,
    {
      id: 'ReviewRequest',
      description: 'A decision on listed ids (1–10,000), or on everything one client sent.',
    },
  ],
];

/** What the server answers: converted as zod output. */
const RESPONSES: [z.ZodType, Named][] = [
  [errorBodySchema, { id: 'ErrorBody', description: 'The body of every 4xx and 5xx answer.' }],
  [subsetProgressSchema, { id: 'SubsetProgress', description: 'The open subset and its size.' }],
  [rejectedItemSchema, { id: 'RejectedItem', description: 'An item refused, and why.' }],
  [
    feedbackResponseSchema,
    { id: 'FeedbackResponse', description: 'Sent only once the accepted items are durable.' },
  ],
  [manifestSchema, { id: 'Manifest', description: '`models/manifest.json`.' }],
  [statusSchema, { id: 'Status', description: 'Progress, retrain state and totals.' }],
  [statsSchema, { id: 'Stats', description: "Users' answers scored per version and over time." }],
  [recentAnswersSchema, { id: 'RecentAnswers', description: 'The newest answers per digit.' }],
  [healthSchema, { id: 'Health', description: 'The process answers.' }],
  [readinessSchema, { id: 'Readiness', description: 'Whether writes can succeed now.' }],
  [rollbackResponseSchema, { id: 'RollbackResponse', description: 'The version now live.' }],
  [retrainResponseSchema, { id: 'RetrainResponse', description: 'The retrain state now.' }],
  [reviewItemSchema, { id: 'ReviewItem', description: 'A flagged (or decided) answer.' }],
  [reviewPageSchema, { id: 'ReviewPage', description: 'One page of answers, oldest first.' }],
  [
    reviewResponseSchema,
    { id: 'ReviewResponse', description: 'Decisions recorded (durable), and unknown ids.' },
  ],
];

/** `#/components/schemas/<id>`: where the document keeps a named schema. */
export const schemaRef = (id: string) => ({ $ref: `#/components/schemas/${id}` });

/**
 * `components.schemas` of the document, converted from the contract's zod schemas by zod's
 * own JSON Schema output (draft 2020-12, the dialect of OpenAPI 3.1). Schemas named here are
 * `$ref`s wherever another one embeds them.
 */
export function componentSchemas(): Record<string, JsonSchema> {
  return { ...convert(REQUESTS, 'input'), ...convert(RESPONSES, 'output') };
}

function convert(list: [z.ZodType, Named][], io: 'input' | 'output'): Record<string, JsonSchema> {
  const registry = z.registry<Named>();
  for (const [schema, meta] of list) registry.add(schema, meta);
  const { schemas } = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    io,
    uri: (id) => schemaRef(id).$ref,
    override: ({ zodSchema, jsonSchema }) => tidy(zodSchema, jsonSchema),
  });
  const described = new Map(list.map(([, meta]) => [meta.id, meta.description]));
  const out: Record<string, JsonSchema> = {};
  // `$id`/`$schema` per component would make each its own resource; the document is one.
  for (const [id, { $schema: _s, $id: _i, ...schema }] of Object.entries(schemas)) {
    out[id] = { description: described.get(id), ...schema };
  }
  return out;
}

/** Keeps the output portable: standard formats only, no noise bounds, refinements spelled out. */
function tidy(zodSchema: unknown, js: JsonSchema): void {
  // zod's `startsWith` comes with a pattern that says the same; `starts_with` is no JSON format.
  if (js.format === 'starts_with') delete js.format;
  // z.int() is bounded to safe integers; JSON Schema integers need no such bound.
  if (js.maximum === Number.MAX_SAFE_INTEGER) delete js.maximum;
  if (js.minimum === Number.MIN_SAFE_INTEGER) delete js.minimum;
  // The pixels refinement is code; its rule is also a pattern the contract exports.
  if (zodSchema === feedbackItemSchema.shape.pixels) {
    js.pattern = PIXELS_BASE64_PATTERN;
    js.contentEncoding = 'base64';
    js.description = 'base64 of 784 bytes: 28×28 row-major, 0 = background, 255 = ink';
  }
}
