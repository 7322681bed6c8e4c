import { describe, expect, it } from 'vitest';
import { createError } from './dje-error.js';
import { type HintPhrasing, hintFor, withHint } from './error-hints.js';

const phrasing: HintPhrasing = {
  NAMESPACE_NOT_FOUND: ({ namespace }) =>
    typeof namespace === 'string' ? `Create ${namespace}.` : undefined,
};

describe('hintFor', () => {
  it('phrases the hint from the code and details, and has none for other codes or missing details', () => {
    const missing = createError({
      code: 'NAMESPACE_NOT_FOUND',
      message: 'm',
      details: { namespace: 'shop' },
    });
    expect(hintFor(missing, phrasing)).toBe('Create shop.');
    expect(hintFor(createError({ code: 'NAMESPACE_NOT_FOUND', message: 'm' }), phrasing)).toBeUndefined();
    expect(hintFor(createError({ code: 'DATABASE_LOCKED', message: 'm' }), phrasing)).toBeUndefined();
  });
});

describe('withHint', () => {
  it('appends the hint once, and not when the message already says it', () => {
    expect(withHint('Namespace "shop" does not exist.', 'Create shop.')).toBe(
      'Namespace "shop" does not exist. Create shop.',
    );
    expect(
      withHint('No terminal to ask: pass --force to confirm. Nothing changed.', 'Pass --force to confirm.'),
    ).toBe('No terminal to ask: pass --force to confirm. Nothing changed.');
    expect(withHint('Unchanged.', undefined)).toBe('Unchanged.');
  });
});
