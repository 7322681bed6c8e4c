// Speed work must not change a byte of output: chunk text, token counts and metadata are stored,
// and re-ingestion reuses vectors only when chunks are identical. A deterministic mixed document
// (every fixture kind, decimals, unicode, emoji, a long string, long arrays) is chunked with every
// strategy, at two budgets and both encodings, and each result's SHA-256 is compared with the one
// recorded from the code before the speed work (issue 15). A change that alters output on purpose
// updates these digests in the same commit and says why.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { adCampaign } from './__fixtures__/ad-campaign.js';
import { appConfig } from './__fixtures__/app-config.js';
import { iotNetwork } from './__fixtures__/iot-network.js';
import { productCatalog } from './__fixtures__/product-catalog.js';
import { yieldAnalysis } from './__fixtures__/yield-analysis.js';
import { chunkJson } from './chunk-json.js';
import { type StrategyName, strategyNames } from './types.js';

function users(count: number): Record<string, unknown>[] {
  const names = ['Åse Nordmann', 'Zoë Müller', 'José García', '李雷', 'Yūki Sato', 'Ngozi Okafor'];
  return Array.from({ length: count }, (_, index) => ({
    user_id: `usr-${1000 + index}`,
    name: names[index % names.length],
    bio: `Trail runner and coffee person ${index % 3 === 0 ? '🚀☕' : ''}   with  odd   spacing\tand tabs`,
    scores: Array.from({ length: 12 }, (_, score) => ((index * 7919 + score * 104_729) % 20_000) / 9973 - 1),
    balance: index * 1234.5678 - 5000,
    tiny: index * 1e-7,
    flags: { verified: index % 2 === 0, tier: index % 4 === 0 ? null : 'gold' },
    notes: index % 10 === 0 ? 'Long note about the order. '.repeat(200 + index) : '',
  }));
}

const mixed = {
  campaign: adCampaign,
  config: appConfig,
  iot: iotNetwork(900),
  catalog: productCatalog,
  yield: yieldAnalysis,
  users: users(120),
};

const digest = (value: unknown): string =>
  createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);

const cases: readonly { strategy: StrategyName; maxTokens?: number; encoding?: 'o200k_base' }[] = [
  ...strategyNames.map((strategy) => ({ strategy })),
  { strategy: 'auto', maxTokens: 128 },
  { strategy: 'hierarchical', maxTokens: 2000 },
  { strategy: 'auto', encoding: 'o200k_base' },
];

// Recorded by running this file against commit 9029864 (before the speed work).
const recorded: Record<string, string> = {
  'auto/default/cl100k_base': '9f43680539fdaa90',
  'flat/default/cl100k_base': '3e03762327c6932e',
  'hierarchical/default/cl100k_base': '317fbc9b9ad875e1',
  'semantic/default/cl100k_base': '66c85f207164ce84',
  'dimensional/default/cl100k_base': '29fdf245893c2e7b',
  'hybrid/default/cl100k_base': 'c9add617dc9e1a89',
  'auto/128/cl100k_base': '033f02d8cedcb6f0',
  'hierarchical/2000/cl100k_base': '075ec357573d1abc',
  'auto/default/o200k_base': '0e4d3af16f7df027',
};

describe('chunk output is unchanged (golden digests)', () => {
  it.each(cases)('$strategy, maxTokens $maxTokens, $encoding', ({ strategy, maxTokens, encoding }) => {
    const result = chunkJson(mixed, { documentId: 'mixed', strategy, maxTokens, encoding });
    const key = `${strategy}/${maxTokens ?? 'default'}/${encoding ?? 'cl100k_base'}`;
    expect(digest(result), key).toBe(recorded[key]);
  });
});
