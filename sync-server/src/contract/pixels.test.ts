import { describe, expect, it } from 'vitest';
import { decodePixels, encodePixels, isPixelPayload } from './pixels';

describe('pixel payload', () => {
  it('round-trips every byte value', () => {
    const px = Uint8Array.from({ length: 784 }, (_, i) => i % 256);
    const b64 = encodePixels(px);
    expect(b64).toHaveLength(1048);
    expect(isPixelPayload(b64)).toBe(true);
    expect(decodePixels(b64)).toEqual(px);
  });

  it('refuses the wrong number of bytes both ways', () => {
    expect(() => encodePixels(new Uint8Array(783))).toThrow(/784.*783/);
    expect(() => decodePixels(btoa('a'.repeat(785)))).toThrow(/784/);
    expect(isPixelPayload('')).toBe(false);
  });

  it('refuses characters outside base64', () => {
    const b64 = encodePixels(new Uint8Array(784));
    expect(isPixelPayload('-' + b64.slice(1))).toBe(false);
  });
});
