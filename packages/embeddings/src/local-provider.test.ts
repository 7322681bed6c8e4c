import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createLocalProvider, localModel } from './local-provider.js';

const cosine = (left: Float32Array, right: Float32Array) =>
  left.reduce((sum, value, index) => sum + value * (right[index] ?? 0), 0);
const norm = (vector: Float32Array) => Math.sqrt(cosine(vector, vector));

describe('createLocalProvider', () => {
  const provider = createLocalProvider();

  it('describes itself', () => {
    expect(provider).toMatchObject({ specificationVersion: 'v1', provider: 'local', model: 'local-hash-v1' });
    expect(provider.model).toBe(localModel);
    expect(provider.dimensions).toBe(384);
  });

  it('is deterministic: the same text gives the same bits, from any provider instance', async () => {
    const text = 'Mobile banner campaign in Norway, CTR 3.2 %';
    const [first, again] = await provider.embed([text, text]);
    const [fromAnother] = await createLocalProvider().embed([text]);
    expect(first).toEqual(again);
    expect(first).toEqual(fromAnother);
  });

  it('keeps the hashing scheme of local-hash-v1 stable', async () => {
    // Stored vectors stay comparable with new ones only while the scheme is unchanged; a change
    // that breaks this must bump featureHashingVersion (and so the model name) instead.
    const [vector] = await provider.embed(['{"campaign": "Spring sale", "country": "Norway", "ctr": 0.032}']);
    const digest = createHash('sha256')
      .update(Buffer.from(vector?.buffer ?? new ArrayBuffer(0)))
      .digest('hex');
    expect(digest).toBe(GOLDEN_DIGEST);
  });

  it('returns unit vectors of the requested size', async () => {
    for (const dimensions of [1, 8, 384, 1536]) {
      const vectors = await createLocalProvider({ dimensions }).embed([
        'a',
        'clickThroughRate',
        'Ålesund café — Tromsø',
        '!!!',
        '   ',
        '12345',
        'x'.repeat(10_000),
      ]);
      for (const vector of vectors) {
        expect(vector).toBeInstanceOf(Float32Array);
        expect(vector).toHaveLength(dimensions);
        expect(Math.abs(norm(vector) - 1)).toBeLessThan(1e-6);
      }
    }
  });

  it('gives texts without letters or digits distinct, stable vectors', async () => {
    const [bangs, dashes, bangsAgain] = await provider.embed(['!!!', '---', '!!!']);
    expect(bangs).toEqual(bangsAgain);
    expect(cosine(bangs ?? new Float32Array(), dashes ?? new Float32Array())).toBeLessThan(0.5);
  });

  it('treats case, accents and camelCase as the same words', async () => {
    const [camel, spaced, accented, plain] = await provider.embed([
      'clickThroughRate',
      'click through rate',
      'Café Tromsø',
      'cafe tromsø',
    ]);
    expect(camel).toEqual(spaced);
    expect(accented).toEqual(plain);
  });

  // Query, a related text, an unrelated text. Related means sharing words or word pieces: this
  // provider is lexical, so these are the pairs it is expected to get right.
  const triples: [string, string, string][] = [
    [
      'mobile banner click-through rate Norway',
      'Mobile banner campaign in Norway with a click-through rate of 3.2%',
      'Temperature sensor firmware update for IoT gateway devices in the warehouse',
    ],
    [
      'temperature sensor firmware',
      'IoT gateway: firmware v2.1 rolled out to all temperature sensors',
      'Summer sale display banners for the Swedish market',
    ],
    [
      'customer churn subscription cancellations',
      'subscriptionStatus: cancelled; churnReason: price; customerId: 8812',
      'deviceType: thermostat; batteryLevel: 81; firmwareVersion: 3.4',
    ],
    [
      'overdue invoices payment reminder',
      'Invoice 2231 is overdue: a payment reminder was sent after 30 days',
      'Hiking trail map of the Norwegian fjords with an elevation profile',
    ],
    [
      'video ads conversions Sweden',
      '{"format": "video", "market": "Sweden", "conversions": 412, "spend": 1200}',
      '{"sensor": "humidity", "reading": 61.5, "unit": "percent"}',
    ],
  ];

  it.each(triples)(
    'scores "%s" closer to its related text than to an unrelated one',
    async (query, related, unrelated) => {
      const [queryVector, relatedVector, unrelatedVector] = await provider.embed([query, related, unrelated]);
      const relatedScore = cosine(queryVector ?? new Float32Array(), relatedVector ?? new Float32Array());
      const unrelatedScore = cosine(queryVector ?? new Float32Array(), unrelatedVector ?? new Float32Array());
      expect(relatedScore).toBeGreaterThan(unrelatedScore + 0.2);
    },
  );

  it('ranks the labelled document first for each query of a small corpus', async () => {
    const documents = triples.map(([, related]) => related);
    const documentVectors = await provider.embed(documents);
    const queryVectors = await provider.embed(triples.map(([query]) => query));
    queryVectors.forEach((queryVector, queryIndex) => {
      const scores = documentVectors.map((documentVector) => cosine(queryVector, documentVector));
      expect(scores.indexOf(Math.max(...scores))).toBe(queryIndex);
    });
  });

  it('matches inflections through character n-grams', async () => {
    const [query, plural, other] = await provider.embed(['banner', 'banners', 'sensor']);
    expect(cosine(query ?? new Float32Array(), plural ?? new Float32Array())).toBeGreaterThan(
      cosine(query ?? new Float32Array(), other ?? new Float32Array()) + 0.2,
    );
  });

  it('refuses empty text, naming its index', async () => {
    await expect(provider.embed(['ok', ''])).rejects.toMatchObject({
      code: 'EMPTY_INPUT',
      kind: 'validation',
      details: { index: 1 },
    });
  });

  it('refuses more than maxInputsPerCall texts and an aborted signal', async () => {
    await expect(
      provider.embed(Array.from({ length: provider.maxInputsPerCall + 1 }, () => 'x')),
    ).rejects.toMatchObject({
      code: 'TOO_MANY_INPUTS',
    });
    await expect(provider.embed(['x'], { signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: 'CANCELLED',
    });
  });

  it('rejects unusable dimensions', () => {
    for (const dimensions of [0, -3, 2.5, 16_001, Number.NaN]) {
      expect(() => createLocalProvider({ dimensions })).toThrowError(
        expect.objectContaining({ code: 'INVALID_DIMENSIONS' }),
      );
    }
  });
});

const GOLDEN_DIGEST = 'c0ae0606f8877b41af8f8221ba9eb9e2a2c4b5590c8cff6586888e70943f5612';
