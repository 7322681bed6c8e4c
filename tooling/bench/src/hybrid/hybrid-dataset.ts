// Generated JSON for the hybrid search benchmark: campaigns, products, IoT devices and yield
// reports, each with an identifier users type verbatim and a description users paraphrase, and
// three query sets with one right document per query:
// - identifiers: the id alone (`cmp_01042`, `sku_00077`, `dev_3f9a1c`, `rep_2024_00012`);
// - descriptive: the description reworded, with words the document does not contain;
// - mixed: the id followed by words of the document (what a user types who remembers both).
import { createSeededRandom, type SeededRandom } from '@dynamic-embeddings/testing';

export interface BenchDocument {
  readonly documentId: string;
  readonly data: Record<string, unknown>;
}

export interface BenchQuery {
  readonly text: string;
  /** The document a right answer comes from. */
  readonly documentId: string;
}

export type QuerySetName = 'identifiers' | 'descriptive' | 'mixed';

export interface HybridDataset {
  readonly documents: readonly BenchDocument[];
  readonly queries: Readonly<Record<QuerySetName, readonly BenchQuery[]>>;
}

const COUNTRIES = [
  'Norway',
  'Sweden',
  'Denmark',
  'Finland',
  'Germany',
  'France',
  'Spain',
  'Italy',
  'Poland',
  'Austria',
];
const AUDIENCES = [
  'students',
  'parents',
  'runners',
  'gamers',
  'retirees',
  'commuters',
  'gardeners',
  'travellers',
];
const FORMATS = ['banners', 'video', 'newsletter', 'podcast', 'billboards', 'search ads'];
const ADJECTIVES = [
  'waterproof',
  'lightweight',
  'organic',
  'wireless',
  'recycled',
  'foldable',
  'heated',
  'solar',
];
const PRODUCTS = [
  'jacket',
  'headphones',
  'backpack',
  'kettle',
  'bicycle',
  'tent',
  'lamp',
  'boots',
  'blender',
  'scooter',
];
const MATERIALS = ['wool', 'steel', 'bamboo', 'leather', 'aluminium', 'cotton', 'glass'];
const ACTIVITIES = ['hiking', 'cooking', 'cycling', 'camping', 'office work', 'running', 'fishing'];
const METRICS = ['temperature', 'humidity', 'pressure', 'vibration', 'battery', 'co2'];
const CONDITIONS = ['rising fast', 'above limit', 'dropping', 'unstable', 'flatlined'];
const BUILDINGS = ['warehouse', 'greenhouse', 'cold store', 'server room', 'barn', 'workshop'];
const CROPS = ['wheat', 'barley', 'potatoes', 'apples', 'strawberries', 'rapeseed', 'oats', 'carrots'];
const REGIONS = ['Trondelag', 'Skane', 'Jutland', 'Bavaria', 'Normandy', 'Tuscany', 'Mazovia', 'Tyrol'];
const WEATHER = ['late frost', 'a dry summer', 'heavy rain', 'an early harvest', 'hail', 'a mild winter'];
const TRENDS = ['fell', 'rose', 'held steady', 'doubled', 'halved'];

function pick<T>(random: SeededRandom, values: readonly T[]): T {
  return values[random.integer(values.length)] as T;
}

const digits = (value: number, width: number) => String(value).padStart(width, '0');

/** One document and its three queries; `index` picks the shape (four shapes in turn). */
function documentAt(
  index: number,
  random: SeededRandom,
): { document: BenchDocument; queries: Record<QuerySetName, string> } {
  const serial = Math.floor(index / 4);
  switch (index % 4) {
    case 0: {
      const id = `cmp_${digits(serial, 5)}`;
      const [country, audience, format, adjective, product] = [
        pick(random, COUNTRIES),
        pick(random, AUDIENCES),
        pick(random, FORMATS),
        pick(random, ADJECTIVES),
        pick(random, PRODUCTS),
      ];
      const data = {
        campaign_id: id,
        name: `${adjective} ${product} ${format}`,
        description: `${format} campaign for ${audience} in ${country} promoting the ${adjective} ${product}`,
        budget: { daily: 200 + random.integer(3000), currency: 'EUR' },
        metrics: { impressions: random.integer(1_000_000), clicks: random.integer(20_000) },
      };
      return {
        document: { documentId: id, data },
        queries: {
          identifiers: id,
          descriptive: `ads showing a ${adjective} ${product} to ${audience} living in ${country}`,
          mixed: `${id} ${product} ${country}`,
        },
      };
    }
    case 1: {
      const id = `sku_${digits(serial, 5)}`;
      const [adjective, material, product, activity] = [
        pick(random, ADJECTIVES),
        pick(random, MATERIALS),
        pick(random, PRODUCTS),
        pick(random, ACTIVITIES),
      ];
      const data = {
        sku: id,
        title: `${adjective} ${material} ${product}`,
        description: `A ${adjective} ${product} made of ${material}, built for ${activity}.`,
        price: { amount: (500 + random.integer(50_000)) / 100, currency: 'EUR' },
        stock: random.integer(500),
      };
      return {
        document: { documentId: id, data },
        queries: {
          identifiers: id,
          descriptive: `which ${material} ${product} is good when ${activity} and is ${adjective}`,
          mixed: `${id} ${material} ${product}`,
        },
      };
    }
    case 2: {
      const id = `dev_${(0x100000 + serial * 2654435761).toString(16).slice(-6)}`;
      const [metric, condition, building, region] = [
        pick(random, METRICS),
        pick(random, CONDITIONS),
        pick(random, BUILDINGS),
        pick(random, REGIONS),
      ];
      const room = 1 + random.integer(40);
      const data = {
        device_id: id,
        site: { building, room: `room ${room}`, region },
        alert: `${metric} ${condition} in the ${building} room ${room} in ${region}`,
        reading: { metric, value: Math.round(random.next() * 1000) / 10 },
      };
      return {
        document: { documentId: id, data },
        queries: {
          identifiers: id,
          descriptive: `sensor reporting ${metric} ${condition} at a ${building} near ${region}`,
          mixed: `${id} ${metric} ${building}`,
        },
      };
    }
    default: {
      const year = 2015 + (serial % 10);
      const id = `rep_${year}_${digits(serial, 5)}`;
      const [crop, region, weather, trend] = [
        pick(random, CROPS),
        pick(random, REGIONS),
        pick(random, WEATHER),
        pick(random, TRENDS),
      ];
      const data = {
        report_id: id,
        farm: { region, hectares: 10 + random.integer(900) },
        crop,
        year,
        summary: `${crop} yield ${trend} in ${region} in ${year} after ${weather}`,
        tonnes_per_hectare: Math.round(random.next() * 120) / 10,
      };
      return {
        document: { documentId: id, data },
        queries: {
          identifiers: id,
          descriptive: `how did ${crop} harvests in ${region} do in ${year} given ${weather}`,
          mixed: `${id} ${crop} ${region}`,
        },
      };
    }
  }
}

/** `documents` documents (four shapes in turn) and `queriesPerSet` queries in each set. */
export function hybridDataset(options: {
  readonly documents: number;
  readonly queriesPerSet: number;
}): HybridDataset {
  const random = createSeededRandom(17_017);
  const documents: BenchDocument[] = [];
  const all: Record<QuerySetName, BenchQuery[]> = { identifiers: [], descriptive: [], mixed: [] };
  const generated = Array.from({ length: options.documents }, (_, index) => documentAt(index, random));
  for (const { document } of generated) documents.push(document);
  // Queries spread evenly over the documents, the four shapes in turn, the same documents in every set.
  const step = 4 * Math.max(1, Math.floor(options.documents / options.queriesPerSet / 4));
  for (let query = 0; query < options.queriesPerSet; query++) {
    const index = (query * step + (query % 4)) % options.documents;
    const { document, queries } = generated[index] as (typeof generated)[number];
    for (const set of ['identifiers', 'descriptive', 'mixed'] as const) {
      all[set].push({ text: queries[set], documentId: document.documentId });
    }
  }
  return { documents, queries: all };
}
