import { encodePixels, type FeedbackItem } from 'sync-server/contract';

let counter = 0;

/** A valid feedback item with a fresh, recognizable UUID (test helper). */
export function testItem(label = 7): FeedbackItem {
  counter++;
  const hex = counter.toString(16).padStart(12, '0');
  return {
    id: `00000000-0000-4000-8000-${hex}`,
    pixels: encodePixels(new Uint8Array(784).fill(counter % 256)),
    label,
    predicted: label,
    confidence: 0.9,
    modelVersion: '2026-11-26T12-00-00-000Z',
    createdAt: new Date(1_700_000_000_000 + counter).toISOString(),
  };
}
