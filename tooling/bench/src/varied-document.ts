// One large JSON document shaped unlike the chunking fixtures, so the chunking bench also measures
// paths the fixtures never take: deep nesting (a category tree and a chain 60 levels deep), a long
// array of tiny event objects, long prose strings in several scripts (Cyrillic, Arabic, CJK, emoji,
// escapes), keys that need quoting in a JSON path (spaces, dots, brackets, non-ASCII), arrays of
// arrays and arrays mixing types. Seeded: the same options always give the same bytes.
import { type Generator, generator } from './chunking-fixtures.js';

const scripts = [
  'Съешь же ещё этих мягких французских булок да выпей чаю',
  'نص تجريبي باللغة العربية يحتوي على كلمات متعددة',
  '敏捷的棕色狐狸跳过了懒狗 数据导出 传感器 读数',
  'いろはにほへと ちりぬるを わかよたれそ つねならむ',
  'Ærlig talt, på fjøset går kjøttkakene og høyet fort',
  'naïve café — “quoted” text with a tab\there and a\nnewline',
  'emoji 🚀🌲⛰️📈 mixed with 👩‍👩‍👧 families and flags 🇳🇴🇯🇵',
  'escapes \\ backslash "double" \u0007 bell \u00a0 nbsp',
];
const oddKeys = ['display name', 'a.b.c', 'x[0]', 'größe', '名前', "it's", 'emoji🙂', '$ref', ''];

function prose(g: Generator, sentences: number): string {
  return Array.from({ length: sentences }, () =>
    g.random() < 0.5 ? g.pick(scripts) : g.sentence(g.integer(6, 24)),
  ).join(' ');
}

/** A category tree: every node has a few odd keys, some leaf values and 0–4 children. */
function categoryTree(g: Generator, depth: number): Record<string, unknown> {
  const node: Record<string, unknown> = { id: `cat-${g.integer(1, 1_000_000)}`, label: g.pick(scripts) };
  for (const key of oddKeys.slice(0, g.integer(1, oddKeys.length))) node[key] = g.decimal(0, 100, 3);
  if (depth > 0) {
    node.children = Array.from({ length: g.integer(0, 4) }, () => categoryTree(g, depth - 1));
  }
  return node;
}

/** A chain `depth` levels deep, with a value and a mixed-type array at each level. */
function chain(g: Generator, depth: number): Record<string, unknown> {
  let node: Record<string, unknown> = { end: true, note: prose(g, 2) };
  for (let level = depth; level > 0; level -= 1) {
    node = { level, mixed: [level, `l${level}`, null, g.random() > 0.5, [level, [level]]], next: node };
  }
  return node;
}

/** The varied document, about `totalBytes` of compact JSON. */
export function variedDocument(options: { totalBytes: number; seed: number }): Record<string, unknown> {
  const g = generator(options.seed * 97 + 13);
  const share = options.totalBytes / 4;
  const events: Record<string, unknown>[] = [];
  for (let bytes = 0; bytes < share; ) {
    const event = {
      t: 1_700_000_000 + events.length * 7,
      k: g.pick(['click', 'view', 'scroll', 'buy']),
      v: g.decimal(0, 10, 2),
      ok: g.random() > 0.1,
    };
    events.push(event);
    bytes += JSON.stringify(event).length + 1;
  }
  const articles: Record<string, unknown>[] = [];
  for (let bytes = 0; bytes < share; ) {
    const body = prose(g, g.integer(50, 400));
    articles.push({ title: g.pick(scripts), body, tags: [g.pick(oddKeys), g.pick(scripts)] });
    bytes += Buffer.byteLength(body);
  }
  const trees: Record<string, unknown>[] = [];
  for (let bytes = 0; bytes < share; ) {
    const tree = categoryTree(g, 7);
    trees.push(tree);
    bytes += Buffer.byteLength(JSON.stringify(tree));
  }
  const matrices = Array.from({ length: Math.max(1, Math.round(share / 40_000)) }, () =>
    Array.from({ length: 200 }, () => Array.from({ length: 20 }, () => g.decimal(-1, 1, 4))),
  );
  return { events, articles, 'category trees': trees, matrices, chain: chain(g, 60) };
}
