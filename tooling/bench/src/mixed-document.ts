// One large JSON document of mixed content, like a data export that holds several record types at
// once: ad campaigns, yield reports, IoT networks, product catalogs and user records side by side,
// with different shapes and nesting, long arrays (daily rows, sensor readings), long strings
// (support notes of several kilobytes), numbers, and text outside ASCII (accented names, CJK,
// emoji). Seeded: the same options always give the same bytes.
import { type DocumentKind, type Generator, generateDocument, generator } from './chunking-fixtures.js';

const firstNames = ['Åse', 'Zoë', 'José', 'Øystein', 'Mikko', 'Ana', 'Liam', 'Ngozi', 'Chen', '李雷', 'Yūki'];
const lastNames = ['Nordmann', 'Müller', 'García', 'Kowalski', 'Virtanen', 'Okafor', 'Smith', '王', 'Sato'];
const emoji = ['🚀', '🌲', '⛰️', '📈', '🎧', '☕', '🙂'];

/** A user record: profile, nested preferences, an order history and, for some, long support notes. */
function userRecord(index: number, g: Generator): Record<string, unknown> {
  const first = g.pick(firstNames);
  const last = g.pick(lastNames);
  const noteCount = g.random() < 0.15 ? g.integer(1, 3) : 0;
  return {
    user_id: `usr-${1_000_000 + index}`,
    name: `${first} ${last}`,
    email: `user${index}@mail.example`,
    bio: `${g.sentence(g.integer(8, 30))} ${g.random() < 0.3 ? g.pick(emoji) : ''}`.trim(),
    signed_up: `2023-${String(g.integer(1, 12)).padStart(2, '0')}-${String(g.integer(1, 28)).padStart(2, '0')}`,
    address: {
      street: `${g.integer(1, 200)} ${g.pick(['Storgata', 'Hauptstraße', 'Calle Mayor', 'Main St'])}`,
      postal_code: String(g.integer(1000, 99_999)),
      country: g.pick(['NO', 'SE', 'DE', 'ES', 'FI', 'JP', 'CN']),
    },
    preferences: {
      newsletter: g.random() > 0.5,
      language: g.pick(['nb', 'sv', 'de', 'es', 'ja', 'zh']),
      categories: Array.from({ length: g.integer(0, 6) }, () => g.pick(['apparel', 'footwear', 'equipment'])),
      notifications: {
        email: g.random() > 0.3,
        sms: g.random() > 0.8,
        push: { enabled: true, quiet_hours: [22, 7] },
      },
    },
    scores: Array.from({ length: g.integer(5, 40) }, () => g.decimal(-1, 1, 6)),
    orders: Array.from({ length: g.integer(0, 12) }, (_, order) => ({
      order_id: `ord-${index}-${order}`,
      total: g.decimal(5, 2500, 2),
      items: g.integer(1, 9),
      status: g.pick(['delivered', 'returned', 'shipped']),
    })),
    support_notes: Array.from({ length: noteCount }, () =>
      Array.from({ length: g.integer(8, 40) }, () => g.sentence(g.integer(10, 30))).join(' '),
    ),
  };
}

/** The document's top-level sections, the record kind that fills each, and its share of the bytes. */
const sections: readonly { key: string; kind: DocumentKind | 'user'; share: number }[] = [
  { key: 'campaigns', kind: 'ad-campaign', share: 0.22 },
  { key: 'yield_reports', kind: 'yield-analysis', share: 0.2 },
  { key: 'iot_networks', kind: 'iot-network', share: 0.22 },
  { key: 'product_catalogs', kind: 'product-catalog', share: 0.2 },
  { key: 'users', kind: 'user', share: 0.16 },
];

/** The mixed document, about `totalBytes` of compact JSON (it stops at the first record past each share). */
export function mixedDocument(options: { totalBytes: number; seed: number }): Record<string, unknown> {
  const users = generator(options.seed * 31 + 7);
  const document: Record<string, unknown> = {
    export: { id: `export-${options.seed}`, generated_at: '2024-05-01T00:00:00Z', format_version: 3 },
  };
  for (const section of sections) {
    const records: Record<string, unknown>[] = [];
    let bytes = 0;
    for (let index = 0; bytes < options.totalBytes * section.share; index += 1) {
      const record =
        section.kind === 'user'
          ? userRecord(index, users)
          : generateDocument({ kind: section.kind, index, seed: options.seed }).value;
      records.push(record);
      bytes += Buffer.byteLength(JSON.stringify(record));
    }
    document[section.key] = records;
  }
  return document;
}
