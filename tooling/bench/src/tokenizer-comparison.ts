// Which cl100k_base counter the chunker and the OpenAI provider share (issue 15): this package's
// hand-written counter (`@dynamic-embeddings/tokenizer`) against the kept library `gpt-tokenizer`
// and js-tiktoken's encoder (the reference for exactness), on the lines the chunker counts (chunk
// text of the mixed document, one call per line plus its newline, as `countLine` is used) and on a
// varied corpus: unicode, emoji, numbers, whitespace runs, long words, code.
import { createRequire } from 'node:module';
import { tokenCounter } from '@dynamic-embeddings/tokenizer';
import { countTokens as gptCountTokens } from 'gpt-tokenizer/encoding/cl100k_base';
import { Tiktoken } from 'js-tiktoken/lite';
import type { Table } from './report.js';

type Count = (text: string) => number;

const variedSamples = [
  'naïve café, Zoë and José in Tromsø 🚀☕🙂 — “quoted” text',
  '李雷和韩梅梅 ・ 東京 ・ 서울 ・ Ελληνικά ・ русский текст',
  '    indented\tand\t\ttabbed     spaces   \n\n\n   \r\n trailing   ',
  '3.14159 2.71828 1e-7 -0.0254 1,254,300 000123 99999999999999999999',
  "it's we're they've I'LL she'd don't WON'T",
  'supercalifragilisticexpialidocious'.repeat(20),
  'const x = { a: [1, 2, 3], b: "str" }; // comment\nfunction f(y) { return y ** 2; }',
  'https://shop.example/123/4?q=trail%20boots&lang=nb#reviews',
  '=-'.repeat(300),
  '😀😃😄😁😆😅🤣😂🙂🙃😉😊😇🥰😍🤩😘😗',
];

function timeCount(count: Count, lines: readonly string[], rounds: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < rounds; round += 1) {
    const start = performance.now();
    for (const line of lines) count(line);
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

/** Speed and exactness of each counter; `chunkTexts` are the mixed document's chunk texts. */
export function compareTokenizers(chunkTexts: readonly string[]): { table: Table; note: string } {
  const require = createRequire(import.meta.url);
  const reference = new Tiktoken(
    require('js-tiktoken/ranks/cl100k_base') as ConstructorParameters<typeof Tiktoken>[0],
  );
  const ours = tokenCounter('cl100k_base');
  const counters: readonly { name: string; count: Count; sample: number }[] = [
    {
      name: '@dynamic-embeddings/tokenizer (hand-written BPE), kept',
      count: (text) => ours.count(text),
      sample: 1,
    },
    { name: 'gpt-tokenizer 4.0.0', count: (text) => gptCountTokens(text), sample: 1 },
    // The reference is slow on long texts: timed on a tenth of the lines.
    {
      name: 'js-tiktoken 1.0.21 encode (reference)',
      count: (text) => reference.encode(text, [], []).length,
      sample: 10,
    },
  ];
  const lines = chunkTexts.flatMap((text) => text.split('\n').map((line) => `${line}\n`));
  const corpus = [...chunkTexts, ...variedSamples, ...variedSamples.map((sample) => `${sample}\n${sample}`)];
  const expected = corpus.map((text) => reference.encode(text, [], []).length);
  const rows = counters.map(({ name, count, sample }) => {
    const timed = lines.filter((_, index) => index % sample === 0);
    const chars = timed.reduce((sum, line) => sum + line.length, 0);
    const milliseconds = timeCount(count, timed, 3);
    const mismatches = corpus.filter((text, index) => count(text) !== expected[index]).length;
    return [name, chars / 1e6 / (milliseconds / 1000), `${mismatches} of ${corpus.length}`];
  });
  return {
    table: {
      title: `cl100k_base token counters: ${lines.length.toLocaleString('en-US')} chunk lines of the mixed document (MB/s of text, fastest of 3), and exactness against js-tiktoken`,
      headers: ['Counter', 'MB/s', 'counts differing from js-tiktoken'],
      rows,
    },
    note: `Token counting: the hand-written counter is kept; it serves the chunker and the OpenAI provider (\`loadTokenCounter\` in @dynamic-embeddings/embeddings), so a chunk's \`token_count\` and the provider's request budgets agree. Exactness is checked on every chunk text of the mixed document plus ${variedSamples.length * 2} texts with accents, CJK, emoji, numbers, contractions, whitespace runs, a 700-letter word and code; the package's tests also compare both encodings with js-tiktoken on random text.`,
  };
}
