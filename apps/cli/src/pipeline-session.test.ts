import { describe, expect, it } from 'vitest';
import { resolveProviderOptions } from './pipeline-session.js';

const none = { provider: undefined, model: undefined, dimensions: undefined };
const openaiNamespace = { provider: 'openai', model: 'text-embedding-3-small', dimensions: 1536 };

describe('resolveProviderOptions', () => {
  it.each([
    ['nothing given, no namespace: local defaults', none, undefined, { provider: 'local' }],
    ['nothing given: the namespace’s provider, model and dimensions', none, openaiNamespace, openaiNamespace],
    [
      'the same provider given: model and dimensions from the namespace',
      { ...none, provider: 'openai' as const },
      openaiNamespace,
      openaiNamespace,
    ],
    [
      'another provider given: nothing from the namespace',
      { ...none, provider: 'local' as const },
      openaiNamespace,
      { provider: 'local' },
    ],
    [
      'given dimensions win over the namespace’s',
      { ...none, dimensions: 256 },
      openaiNamespace,
      { ...openaiNamespace, dimensions: 256 },
    ],
    [
      'a provider this CLI cannot create (written by another tool): local defaults',
      none,
      { provider: 'cohere', model: 'embed-v3', dimensions: 1024 },
      { provider: 'local' },
    ],
  ])('%s', (_label, globals, stored, expected) => {
    expect(resolveProviderOptions(globals, stored)).toEqual({
      model: undefined,
      dimensions: undefined,
      ...expected,
    });
  });
});
