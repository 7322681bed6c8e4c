import { describe, expect, it } from 'vitest';
import { adCampaign } from './__fixtures__/ad-campaign.js';
import { appConfig } from './__fixtures__/app-config.js';
import { iotNetwork } from './__fixtures__/iot-network.js';
import { productCatalog } from './__fixtures__/product-catalog.js';
import { yieldAnalysis } from './__fixtures__/yield-analysis.js';
import { decideStrategy } from './decide-strategy.js';

describe('decideStrategy', () => {
  it.each([
    ['the IoT network', iotNetwork(), 'dimensional'],
    ['the product catalog', productCatalog, 'dimensional'],
    ['the yield analysis', yieldAnalysis, 'semantic'],
    ['the ad campaign (nested targeting, a daily table, prose)', adCampaign, 'hybrid'],
    ['the app config (fits one chunk)', appConfig, 'flat'],
  ])('picks a fitting strategy for %s', (_name, document, expected) => {
    const decision = decideStrategy(document);
    expect(decision.strategy).toBe(expected);
    const best = decision.scores[decision.strategy];
    for (const score of Object.values(decision.scores)) expect(score).toBeLessThanOrEqual(best);
    expect(decision.confidence).toBeGreaterThanOrEqual(0.5);
    expect(decision.confidence).toBeLessThanOrEqual(1);
  });

  it('reports features in 0–1 that follow the document', () => {
    const iot = decideStrategy(iotNetwork()).features;
    const prose = decideStrategy(yieldAnalysis).features;
    for (const value of [...Object.values(iot), ...Object.values(prose)]) {
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(1);
    }
    expect(iot.arrays).toBeGreaterThan(0.9);
    expect(prose.arrays).toBe(0);
    expect(prose.text).toBeGreaterThan(iot.text);
    expect(iot.size).toBeGreaterThan(decideStrategy(appConfig).features.size);
  });

  it('is certain about scalars and empty documents', () => {
    for (const document of [7, 'text', null, {}, []]) {
      expect(decideStrategy(document)).toMatchObject({ strategy: 'flat', confidence: 1 });
    }
  });
});
