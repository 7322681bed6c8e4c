import { createHash } from 'node:crypto';

/** sha256 hex of a chunk's UTF-8 text: the key the store uses to hand back reusable vectors. */
export function textHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
