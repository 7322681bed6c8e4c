// Generated documents for the chunking benchmark: the five kinds the chunking issue names (ad
// campaigns, yield analyses, IoT sensor networks, product catalogs, app configs), seeded so every
// run chunks the same bytes, with sizes and shapes like real exports.

import { createSeededRandom } from '@dynamic-embeddings/testing';

export type DocumentKind =
  | 'ad-campaign'
  | 'yield-analysis'
  | 'iot-network'
  | 'product-catalog'
  | 'app-config';

export const documentKinds: readonly DocumentKind[] = [
  'ad-campaign',
  'yield-analysis',
  'iot-network',
  'product-catalog',
  'app-config',
];

const words = (
  'the campaign targets young adults in urban areas with a strong focus on mobile engagement and ' +
  'measurable conversions across regional markets while revenue fell because holiday demand ended ' +
  'and direct deals moved to programmatic buyers who bid less in january so the fill rate rose but ' +
  'ecpm dropped the sensor reported higher vibration after maintenance and the gateway restarted ' +
  'twice during the night shift our spring collection is built for wet trails with recycled fabric'
).split(' ');
const countries = ['Norway', 'Sweden', 'Denmark', 'Finland', 'Germany', 'Netherlands', 'Poland', 'Spain'];
const cities = ['Oslo', 'Bergen', 'Stockholm', 'Gothenburg', 'Copenhagen', 'Helsinki', 'Hamburg', 'Madrid'];

export interface Generator {
  readonly random: () => number;
  pick<T>(items: readonly T[]): T;
  integer(min: number, max: number): number;
  decimal(min: number, max: number, digits: number): number;
  sentence(wordCount: number): string;
}

export function generator(seed: number): Generator {
  const random = createSeededRandom(seed).next;
  return {
    random,
    pick: (items) => items[Math.floor(random() * items.length)]!,
    integer: (min, max) => min + Math.floor(random() * (max - min + 1)),
    decimal: (min, max, digits) => Number((min + random() * (max - min)).toFixed(digits)),
    sentence: (wordCount) => {
      const chosen = Array.from({ length: wordCount }, () => words[Math.floor(random() * words.length)]!);
      const text = chosen.join(' ');
      return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
    },
  };
}

function adCampaign(index: number, g: Generator): Record<string, unknown> {
  const days = g.integer(30, 90);
  return {
    campaign_id: `cmp-${100_000 + index}`,
    name: `${g.pick(['Spring', 'Summer', 'Autumn', 'Winter'])} ${g.pick(['Sale', 'Launch', 'Awareness'])} ${g.pick(countries)}`,
    advertiser: { id: `adv-${g.integer(1, 999)}`, name: `${g.pick(cities)} Outdoor AS`, industry: 'retail' },
    status: g.pick(['active', 'paused', 'completed']),
    budget: {
      total: g.integer(10_000, 500_000),
      daily_cap: g.integer(500, 20_000),
      currency: 'EUR',
      pacing: 'even',
    },
    targeting: {
      geographic: {
        countries: [g.pick(countries), g.pick(countries)],
        cities: [g.pick(cities), g.pick(cities), g.pick(cities)],
        radius_km: g.integer(5, 80),
      },
      demographics: {
        age_range: { min: g.integer(18, 30), max: g.integer(35, 65) },
        genders: ['female', 'male'],
        languages: ['en', 'no', 'sv'],
      },
      devices: {
        types: ['mobile', 'tablet', 'desktop'].slice(0, g.integer(1, 3)),
        operating_systems: ['iOS', 'Android'],
      },
      interests: Array.from({ length: g.integer(3, 8) }, () => g.pick(words)),
    },
    bidding: { strategy: 'target_cpa', target_cpa: g.decimal(5, 90, 2), max_cpc: g.decimal(0.2, 4, 2) },
    creatives: Array.from({ length: g.integer(2, 6) }, (_, creative) => ({
      id: `cr-${index}-${creative}`,
      format: g.pick(['banner', 'video', 'native']),
      headline: g.sentence(5),
      body: g.sentence(16),
      cta: g.pick(['Shop now', 'Learn more', 'Discover']),
      landing_url: `https://shop.example/${index}/${creative}`,
    })),
    performance: {
      totals: {
        impressions: g.integer(1e5, 1e7),
        clicks: g.integer(1e3, 1e5),
        ctr: g.decimal(0.005, 0.05, 4),
        conversions: g.integer(10, 5000),
      },
      ctr_reasoning: g.sentence(30),
      daily: Array.from({ length: days }, (_, day) => ({
        date: `2024-${String(1 + Math.floor(day / 28)).padStart(2, '0')}-${String(1 + (day % 28)).padStart(2, '0')}`,
        impressions: g.integer(1000, 90_000),
        clicks: g.integer(10, 3000),
        ctr: g.decimal(0.005, 0.05, 4),
        spend: g.decimal(10, 5000, 2),
        conversions: g.integer(0, 120),
      })),
    },
    notes: g.sentence(40),
  };
}

function yieldAnalysis(index: number, g: Generator): Record<string, unknown> {
  const period = () => ({
    revenue_usd: g.decimal(1000, 200_000, 2),
    impressions: g.integer(1e5, 5e7),
    ecpm_usd: g.decimal(0.5, 9, 2),
    fill_rate: g.decimal(0.5, 0.99, 3),
  });
  return {
    report_id: `yield-${index}`,
    publisher: `${g.pick(cities)} Media Group`,
    period1: { label: 'Q4 2023', start: '2023-10-01', end: '2023-12-31' },
    period2: { label: 'Q1 2024', start: '2024-01-01', end: '2024-03-31' },
    summary: {
      period1: period(),
      period2: period(),
      revenue_change_pct: g.decimal(-40, 40, 1),
      revenue_change_reasoning: g.sentence(45),
      ecpm_change_reasoning: g.sentence(35),
    },
    ad_units: Array.from({ length: g.integer(8, 24) }, (_, unit) => ({
      ad_unit: `${g.pick(['homepage', 'article', 'video', 'mobile'])}_${unit}`,
      period1: period(),
      period2: period(),
      revenue_change_pct: g.decimal(-50, 50, 1),
      revenue_change_reasoning: g.sentence(g.integer(20, 50)),
      recommendation: g.sentence(g.integer(12, 25)),
    })),
    recommendations: Array.from({ length: 4 }, () => g.sentence(18)),
  };
}

function iotNetwork(index: number, g: Generator): Record<string, unknown> {
  const sensors = Array.from({ length: g.integer(10, 40) }, (_, sensor) => ({
    sensor_id: `sn-${index}-${sensor}`,
    type: g.pick(['temperature', 'humidity', 'vibration', 'air_quality']),
    location: { building: `B${g.integer(1, 5)}`, floor: g.integer(1, 12), zone: `Z${g.integer(1, 9)}` },
    firmware: `${g.integer(1, 4)}.${g.integer(0, 9)}.${g.integer(0, 20)}`,
  }));
  return {
    network_id: `net-${index}`,
    site: {
      name: `${g.pick(cities)} plant ${index}`,
      timezone: 'Europe/Oslo',
      gateway: { id: `gw-${index}`, ip: `10.0.${index % 256}.1` },
    },
    sensors,
    readings: Array.from({ length: g.integer(1500, 3000) }, (_, reading) => ({
      sensor_id: g.pick(sensors).sensor_id,
      timestamp: 1_714_521_600 + reading * 30,
      temperature_c: g.decimal(15, 30, 2),
      humidity_pct: g.decimal(20, 80, 1),
      battery_pct: g.integer(5, 100),
      status: g.random() > 0.97 ? 'warning' : 'ok',
    })),
    alerts: Array.from({ length: g.integer(1, 6) }, () => ({
      sensor_id: g.pick(sensors).sensor_id,
      level: g.pick(['info', 'warning']),
      message: g.sentence(12),
    })),
  };
}

function productCatalog(index: number, g: Generator): Record<string, unknown> {
  return {
    store: { id: `store-${index}`, name: `${g.pick(cities)} Outfitters`, currency: 'EUR' },
    updated_at: '2024-04-02T08:00:00Z',
    products: Array.from({ length: g.integer(80, 160) }, (_, product) => ({
      sku: `SKU-${index}-${product}`,
      name: `${g.pick(['Trail', 'Alpine', 'Fjord', 'Summit'])} ${g.pick(['Jacket', 'Boot', 'Vest', 'Pants'])} ${product}`,
      category: g.pick(['apparel', 'footwear', 'equipment']),
      price: g.decimal(19, 899, 2),
      description: g.sentence(g.integer(20, 45)),
      attributes: {
        material: g.pick(['polyester', 'merino', 'nylon']),
        weight_g: g.integer(100, 2000),
        waterproof: g.random() > 0.5,
      },
      variants: Array.from({ length: g.integer(1, 4) }, (_, variant) => ({
        sku: `SKU-${index}-${product}-${variant}`,
        colour: g.pick(['black', 'green', 'blue']),
        stock: g.integer(0, 90),
      })),
      rating: { average: g.decimal(2.5, 5, 1), count: g.integer(0, 900) },
    })),
  };
}

function appConfig(index: number, g: Generator): Record<string, unknown> {
  return {
    app: {
      name: `service-${index}`,
      version: `${g.integer(1, 9)}.${g.integer(0, 30)}.0`,
      environment: g.pick(['production', 'staging']),
    },
    server: {
      host: '0.0.0.0',
      port: g.integer(3000, 9000),
      tls: { enabled: true, min_version: 'TLSv1.2' },
      timeouts: { read_ms: 5000, write_ms: 10000 },
    },
    database: {
      primary: { host: `db-${index}.internal`, port: 5432, pool: { min: 2, max: g.integer(8, 64) } },
      replicas: Array.from({ length: g.integer(1, 4) }, (_, replica) => ({
        host: `db-${index}-r${replica}.internal`,
        port: 5432,
        weight: g.integer(1, 3),
      })),
    },
    cache: {
      provider: 'redis',
      url: `redis://cache-${index}.internal:6379/0`,
      ttl_seconds: g.integer(60, 3600),
    },
    features: Object.fromEntries(
      Array.from({ length: g.integer(5, 20) }, (_, feature) => [
        `feature_${feature}`,
        {
          enabled: g.random() > 0.3,
          rollout_pct: g.integer(0, 100),
          owner: g.pick(['payments', 'growth', 'platform']),
          reason: g.sentence(10),
        },
      ]),
    ),
    logging: { level: g.pick(['info', 'warn', 'debug']), format: 'json', redact: ['card_number', 'email'] },
  };
}

const makers: Record<DocumentKind, (index: number, g: Generator) => Record<string, unknown>> = {
  'ad-campaign': adCampaign,
  'yield-analysis': yieldAnalysis,
  'iot-network': iotNetwork,
  'product-catalog': productCatalog,
  'app-config': appConfig,
};

/** Share of the bytes each kind gets: large tables, nested configs and prose all weigh in. */
const byteShares: Record<DocumentKind, number> = {
  'ad-campaign': 0.2,
  'yield-analysis': 0.2,
  'iot-network': 0.25,
  'product-catalog': 0.25,
  'app-config': 0.1,
};

export interface GeneratedDocument {
  readonly kind: DocumentKind;
  readonly id: string;
  readonly value: Record<string, unknown>;
  /** UTF-8 bytes of the compact JSON. */
  readonly bytes: number;
}

function documentValue(options: {
  kind: DocumentKind;
  index: number;
  seed: number;
}): Record<string, unknown> {
  const seed = options.seed * 1_000_003 + options.index * 7 + documentKinds.indexOf(options.kind);
  return makers[options.kind](options.index, generator(seed));
}

/** One document of a kind. */
export function generateDocument(options: {
  kind: DocumentKind;
  index: number;
  seed: number;
}): GeneratedDocument {
  const value = documentValue(options);
  return {
    kind: options.kind,
    id: `${options.kind}-${options.index}`,
    value,
    bytes: Buffer.byteLength(JSON.stringify(value)),
  };
}

/** Documents of every kind, each kind filling its share of `totalBytes` of compact JSON. */
export function generateDocuments(options: { totalBytes: number; seed: number }): GeneratedDocument[] {
  const documents: GeneratedDocument[] = [];
  for (const kind of documentKinds) {
    let bytes = 0;
    for (let index = 0; bytes < options.totalBytes * byteShares[kind]; index += 1) {
      const document = generateDocument({ kind, index, seed: options.seed });
      documents.push(document);
      bytes += document.bytes;
    }
  }
  return documents;
}

/**
 * An NDJSON stream of generated documents (kinds in turn) of about `totalBytes`, produced on the
 * fly in pieces of about `pieceBytes`, so the input itself never sits in memory.
 */
export async function* ndjsonStream(options: {
  totalBytes: number;
  seed: number;
  pieceBytes?: number;
}): AsyncGenerator<Buffer> {
  const pieceBytes = options.pieceBytes ?? 64 * 1024;
  let produced = 0;
  let pending: string[] = [];
  let pendingBytes = 0;
  for (let index = 0; produced < options.totalBytes; index += 1) {
    const kind = documentKinds[index % documentKinds.length]!;
    const line = `${JSON.stringify(documentValue({ kind, index, seed: options.seed }))}\n`;
    pending.push(line);
    pendingBytes += line.length;
    produced += line.length;
    if (pendingBytes >= pieceBytes) {
      yield Buffer.from(pending.join(''));
      pending = [];
      pendingBytes = 0;
    }
  }
  if (pending.length > 0) yield Buffer.from(pending.join(''));
}
