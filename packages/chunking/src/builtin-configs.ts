// The built-in named configs. `default` is complete; every other one extends it and only says what
// differs. Keyword lists are matched against the lower-cased words of keys (`ctrReasoning` and
// `ctr_reasoning` both give `ctr`, `reasoning`).
import type { ChunkingConfig, RawChunkingConfig } from './config.js';

const words = (text: string): string[] => text.split(' ');

const defaultConfig: ChunkingConfig = {
  name: 'default',
  description: 'General-purpose JSON: balanced thresholds, every domain rule enabled.',
  maxTokens: 512,
  encoding: 'cl100k_base',
  keywords: {
    semantic: words(
      'reasoning reason rationale explanation explain description summary notes note comment ' +
        'comments insight insights analysis recommendation recommendations conclusion ' +
        'justification observation observations narrative commentary feedback message abstract ' +
        'story cause impact details',
    ),
    metrics: words(
      'count total sum avg average mean median rate ratio percent percentage pct score amount ' +
        'revenue cost price spend budget profit margin ctr cpc cpm cpa roas roi impressions ' +
        'clicks conversions views sessions users yield ecpm rpm fill temperature humidity ' +
        'pressure battery voltage speed latency duration weight quantity min max growth change ' +
        'delta volume stock',
    ),
    entities: words(
      'id uuid guid sku ean upc isbn slug hash email url uri href ip mac serial code ref ' + 'timestamp ts',
    ),
  },
  domainRules: [
    {
      tag: 'advertising',
      keywords: words(
        'campaign campaigns ad ads creative creatives ctr cpc cpm cpa impressions clicks bid ' +
          'bidding targeting audience placement advertiser banner conversions roas',
      ),
      patterns: [],
      minMatches: 2,
    },
    {
      tag: 'analytics',
      keywords: words(
        'sessions pageviews users bounce funnel cohort retention events metrics dimension ' +
          'dimensions segment trend kpi kpis insights',
      ),
      patterns: [],
      minMatches: 2,
    },
    {
      tag: 'finance',
      keywords: words(
        'revenue profit margin cost costs yield ecpm rpm forecast budget invoice period quarter ' +
          'fiscal earnings income expense expenses',
      ),
      patterns: ['^period\\d+$'],
      minMatches: 2,
    },
    {
      tag: 'ecommerce',
      keywords: words(
        'product products sku price inventory stock variant variants cart order orders catalog ' +
          'category categories brand shipping discount',
      ),
      patterns: [],
      minMatches: 2,
    },
    {
      tag: 'iot',
      keywords: words(
        'sensor sensors device devices reading readings temperature humidity battery firmware ' +
          'telemetry gateway voltage rssi signal',
      ),
      patterns: [],
      minMatches: 2,
    },
    {
      tag: 'configuration',
      keywords: words(
        'config settings enabled disabled host port timeout retries env environment feature ' +
          'features flags logging level database cache endpoint',
      ),
      patterns: [],
      minMatches: 2,
    },
  ],
  thresholds: {
    inlineChars: 100,
    minUnitTokens: 48,
    minUnitKeys: 3,
    semanticScore: 0.75,
    minArrayLength: 20,
    maxColumns: 16,
    minSectionTokens: 96,
  },
  decision: {
    weights: {
      flat: {
        bias: 0.55,
        size: -0.6,
        depth: -0.3,
        breadth: 0.1,
        arrays: -0.3,
        text: -0.2,
        numeric: 0.1,
        heterogeneity: -0.3,
        domain: 0,
      },
      hierarchical: {
        bias: 0.2,
        size: 0.3,
        depth: 0.5,
        breadth: 0.1,
        arrays: -0.3,
        text: -0.1,
        numeric: 0,
        heterogeneity: 0,
        domain: 0,
      },
      semantic: {
        bias: 0,
        size: 0.1,
        depth: 0,
        breadth: 0,
        arrays: -0.3,
        text: 1.2,
        numeric: -0.1,
        heterogeneity: 0,
        domain: 0.2,
      },
      dimensional: {
        bias: 0,
        size: 0.1,
        depth: -0.1,
        breadth: 0,
        arrays: 1.3,
        text: -0.3,
        numeric: 0.2,
        heterogeneity: -0.2,
        domain: 0,
      },
      hybrid: {
        bias: -0.2,
        size: 0.3,
        depth: 0,
        breadth: 0,
        arrays: 0.2,
        text: 0.2,
        numeric: 0,
        heterogeneity: 1,
        domain: 0,
      },
    },
  },
};

/** Built-in configs by name; all but `default` are raw configs that extend `default`. */
export const builtinConfigs: Readonly<Record<string, ChunkingConfig | RawChunkingConfig>> = {
  default: defaultConfig,
  analytics: {
    description: 'Analytics reports: metrics with commentary; favours semantic grouping of insights.',
    thresholds: { semanticScore: 0.65 },
    decision: { weights: { semantic: { text: 1.4, domain: 0.3 } } },
  },
  advertising: {
    description: 'Ad campaigns: nested targeting/creative/bidding sections; favours hierarchical units.',
    thresholds: { minUnitTokens: 40, minUnitKeys: 2 },
    decision: { weights: { hierarchical: { bias: 0.3 } } },
  },
  configuration: {
    description: 'Application configs: deep settings trees kept as natural sections, small values inline.',
    thresholds: { inlineChars: 80, minUnitTokens: 32, minUnitKeys: 2 },
    decision: { weights: { hierarchical: { bias: 0.35, depth: 0.6 }, flat: { bias: 0.45 } } },
  },
  business: {
    description: 'Business analyses (yield, revenue, periods) with reasoning strings; favours semantic.',
    thresholds: { semanticScore: 0.6 },
    decision: { weights: { semantic: { bias: 0.1, text: 1.5, domain: 0.4 } } },
  },
  ecommerce: {
    description: 'Product catalogs: large product arrays sliced as tables, nested details as sections.',
    thresholds: { minArrayLength: 10, maxColumns: 20 },
    decision: { weights: { dimensional: { arrays: 1.4 } } },
  },
  iot: {
    description: 'Sensor networks: large reading arrays sliced as self-describing tables.',
    thresholds: { minArrayLength: 10, maxColumns: 24 },
    decision: { weights: { dimensional: { bias: 0.1, arrays: 1.6 } } },
  },
};
