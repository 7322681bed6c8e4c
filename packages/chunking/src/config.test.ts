import { describe, expect, it } from 'vitest';
import { iotNetwork } from './__fixtures__/iot-network.js';
import { chunkingConfigSchema, configNames, resolveConfig } from './config.js';
import { decideStrategy } from './decide-strategy.js';

describe('resolveConfig', () => {
  it('resolves every built-in config to a complete, valid, frozen config named after itself', () => {
    expect(configNames).toEqual([
      'default',
      'analytics',
      'advertising',
      'configuration',
      'business',
      'ecommerce',
      'iot',
    ]);
    for (const name of configNames) {
      const config = resolveConfig(name);
      expect(chunkingConfigSchema.parse(config)).toEqual(config);
      expect(config.name).toBe(name);
      expect(Object.isFrozen(config.thresholds)).toBe(true);
    }
    expect(resolveConfig()).toBe(resolveConfig('default'));
  });

  it('lets built-ins inherit from default and change only what they name', () => {
    const base = resolveConfig('default');
    const iot = resolveConfig('iot');
    expect(iot.thresholds.minArrayLength).toBe(10);
    expect(iot.thresholds.minUnitTokens).toBe(base.thresholds.minUnitTokens);
    expect(iot.decision.weights.dimensional.arrays).toBe(1.6);
    expect(iot.decision.weights.dimensional.text).toBe(base.decision.weights.dimensional.text);
    expect(iot.keywords).toEqual(base.keywords);
  });

  it('resolves a custom object over its extends base, replacing arrays and merging domain rules by tag', () => {
    const config = resolveConfig({
      extends: 'iot',
      name: 'factory-floor',
      maxTokens: 1024,
      keywords: { entities: ['asset_tag'] },
      thresholds: { minArrayLength: 50 },
      domainRules: [
        { tag: 'iot', keywords: ['press', 'conveyor'], patterns: [], minMatches: 1 },
        { tag: 'maintenance', keywords: ['repair', 'inspection'], patterns: ['^work_order'], minMatches: 1 },
      ],
    });
    expect(config.name).toBe('factory-floor');
    expect(config.maxTokens).toBe(1024);
    expect(config.thresholds.minArrayLength).toBe(50);
    expect(config.thresholds.maxColumns).toBe(24);
    expect(config.keywords.entities).toEqual(['asset_tag']);
    expect(config.keywords.semantic).toEqual(resolveConfig('default').keywords.semantic);
    const tags = config.domainRules.map((rule) => rule.tag);
    expect(tags).toEqual([
      'advertising',
      'analytics',
      'finance',
      'ecommerce',
      'iot',
      'configuration',
      'maintenance',
    ]);
    expect(config.domainRules.find((rule) => rule.tag === 'iot')?.keywords).toEqual(['press', 'conveyor']);
  });

  it('returns the same object when given a resolved config or the same raw object again', () => {
    const raw = { thresholds: { minUnitKeys: 5 } };
    const resolved = resolveConfig(raw);
    expect(resolveConfig(raw)).toBe(resolved);
    expect(resolveConfig(resolved)).toBe(resolved);
    expect(resolved.name).toBe('custom');
  });

  it('rejects invalid fields with INVALID_CONFIG naming each field and the problem', () => {
    let caught: unknown;
    try {
      resolveConfig({ thresholds: { minArrayLength: 'many', maxColumns: 0 }, maxToken: 100 });
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'INVALID_CONFIG', kind: 'validation' });
    const { message, details } = caught as { message: string; details: { issues: { path: string }[] } };
    expect(message).toContain('thresholds.minArrayLength');
    expect(message).toContain('thresholds.maxColumns');
    expect(message).toMatch(/maxToken/);
    expect(details.issues.map((issue) => issue.path)).toEqual(
      expect.arrayContaining(['thresholds.minArrayLength', 'thresholds.maxColumns']),
    );
  });

  it('rejects a domain rule pattern that is not a regular expression', () => {
    expect(() =>
      resolveConfig({
        domainRules: [{ tag: 'broken', keywords: [], patterns: ['(unclosed'], minMatches: 1 }],
      }),
    ).toThrowError(
      expect.objectContaining({
        code: 'INVALID_CONFIG',
        message: expect.stringContaining('domainRules[0].patterns[0]'),
      }),
    );
  });

  it('rejects unknown names, unknown extends and non-objects', () => {
    expect(() => resolveConfig('retail')).toThrowError(
      expect.objectContaining({
        code: 'UNKNOWN_CONFIG',
        kind: 'not_found',
        message: expect.stringContaining('default, analytics'),
      }),
    );
    expect(() => resolveConfig({ extends: 'retail' })).toThrowError(
      expect.objectContaining({ code: 'UNKNOWN_CONFIG' }),
    );
    expect(() => resolveConfig([1, 2])).toThrowError(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    expect(() => resolveConfig(42)).toThrowError(expect.objectContaining({ code: 'INVALID_CONFIG' }));
  });

  it('feeds its decision weights to the decision engine', () => {
    const document = iotNetwork(200);
    expect(decideStrategy(document, 'iot').strategy).toBe('dimensional');
    const preferFlat = resolveConfig({
      extends: 'iot',
      decision: { weights: { flat: { bias: 5 }, dimensional: { arrays: 0, bias: 0 } } },
    });
    const decision = decideStrategy(document, preferFlat);
    expect(decision.strategy).toBe('flat');
    expect(decision.scores.flat).toBeGreaterThan(decision.scores.dimensional);
    expect(decision.scores.dimensional).toBeLessThan(decideStrategy(document, 'iot').scores.dimensional);
  });
});
