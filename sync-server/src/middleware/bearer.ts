import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * A check of `Authorization: Bearer <token>` against `token`. Both sides are hashed first,
 * which makes the comparison constant-time whatever the length sent.
 */
export function bearerCheck(token: string): (header: string | undefined) => boolean {
  const want = digest(token);
  return (header) => {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    return Boolean(m?.[1] && timingSafeEqual(digest(m[1]), want));
  };
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}
