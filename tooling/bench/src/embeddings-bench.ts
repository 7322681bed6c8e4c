// Embeddings benchmark: throughput of the offline `local` provider, and how many HTTP requests the
// `openai` provider's batching sends for a realistic set of chunk texts compared with the reference
// implementation's approach of about 8K tokens per request.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chunkJson } from '@dynamic-embeddings/chunking';
import {
  createLocalProvider,
  createOpenAIProvider,
  embedAll,
  loadTokenCounter,
  type TokenCounter,
} from '@dynamic-embeddings/embeddings';
import { createSeededRandom } from '@dynamic-embeddings/testing';
import { benchArgs } from './bench-args.js';
import { mixedDocument } from './mixed-document.js';
import { currentCommand, publish, type Table } from './report.js';

const usage = `Usage: tsx src/embeddings-bench.ts [--texts N] [--local-texts N] [--seed N]

  --texts N        chunk texts sent through the openai batching (default 10000)
  --local-texts N  texts embedded by the local provider per size (default 20000)
  --seed N         seed of the generated texts (default 42)`;

const { numbers } = benchArgs({
  usage,
  numbers: { texts: { default: 10_000 }, 'local-texts': { default: 20_000 }, seed: { default: 42 } },
});
const textCount = numbers.texts;
const localTextCount = numbers['local-texts'];
const { seed } = numbers;

/** The reference implementation's request budget. */
const referenceTokensPerRequest = 8_000;

const vocabulary = {
  countries: ['Norway', 'Sweden', 'Denmark', 'Finland', 'Germany', 'Netherlands', 'Poland', 'Spain'],
  channels: ['mobile', 'desktop', 'tablet', 'connected TV', 'in-app'],
  formats: ['banner', 'video', 'native', 'carousel', 'interstitial', 'rich media'],
  devices: ['thermostat', 'humidity sensor', 'gateway', 'smart meter', 'door lock', 'air quality monitor'],
  statuses: ['active', 'paused', 'archived', 'pending review', 'completed'],
  words: (
    'the campaign targets young adults in urban areas with a strong focus on mobile engagement and ' +
    'measurable conversions across regional markets while the device reports temperature humidity ' +
    'battery level and firmware status every few minutes to the central gateway for monitoring and ' +
    'alerting the invoice covers quarterly licence fees support hours and onboarding for new teams ' +
    'customers asked about delivery times refunds and loyalty points during the spring sale period'
  ).split(' '),
};

/** One chunk-like text of about `targetTokens` tokens: a JSON path, key: value lines, a description. */
function chunkText(
  random: () => number,
  index: number,
  targetTokens: number,
  countTokens: TokenCounter,
): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const domain = index % 3;
  const lines =
    domain === 0
      ? [
          `path: campaigns[${index}]`,
          `name: ${pick(vocabulary.formats)} push ${pick(vocabulary.countries)} ${2020 + (index % 6)}`,
          `channel: ${pick(vocabulary.channels)}`,
          `format: ${pick(vocabulary.formats)}`,
          `country: ${pick(vocabulary.countries)}`,
          `ctr: ${(random() * 0.08).toFixed(4)}`,
          `impressions: ${Math.floor(random() * 2_000_000)}`,
          `status: ${pick(vocabulary.statuses)}`,
        ]
      : domain === 1
        ? [
            `path: devices[${index}].telemetry`,
            `device_type: ${pick(vocabulary.devices)}`,
            `firmware_version: ${1 + Math.floor(random() * 5)}.${Math.floor(random() * 20)}`,
            `battery_level: ${Math.floor(random() * 100)}`,
            `temperature_c: ${(15 + random() * 15).toFixed(1)}`,
            `site: ${pick(vocabulary.countries)} warehouse ${Math.floor(random() * 40)}`,
          ]
        : [
            `path: orders[${index}]`,
            `order_id: ORD-${100_000 + index}`,
            `customer_id: C${Math.floor(random() * 90_000)}`,
            `total_eur: ${(random() * 4_000).toFixed(2)}`,
            `items: ${1 + Math.floor(random() * 12)}`,
            `status: ${pick(vocabulary.statuses)}`,
          ];
  let tokens = lines.reduce((sum, line) => sum + countTokens(line) + 1, 0);
  const description: string[] = [];
  // Words of this vocabulary are one token each, plus the space before them.
  while (tokens < targetTokens) {
    description.push(pick(vocabulary.words));
    tokens++;
  }
  if (description.length > 0) lines.push(`description: ${description.join(' ')}`);
  return lines.join('\n');
}

function generateTexts(count: number, countTokens: TokenCounter): string[] {
  const random = createSeededRandom(seed).next;
  return Array.from({ length: count }, (_, index) =>
    chunkText(random, index, 50 + Math.floor(random() * 451), countTokens),
  );
}

/**
 * A minimal OpenAI-compatible server that counts requests and their inputs and answers with zero
 * vectors (the answer's content is irrelevant to how many requests the client sends).
 */
async function startCountingServer(dimensions: number) {
  const batches: string[][] = [];
  const zeroVector = Buffer.alloc(dimensions * 4).toString('base64');
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { input: string[] };
      batches.push(body.input);
      const data = body.input.map((_, index) => ({ object: 'embedding', index, embedding: zeroVector }));
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ object: 'list', data, usage: { prompt_tokens: 0, total_tokens: 0 } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    batches,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The reference approach: texts packed greedily, in order, into requests of at most 8,000 tokens. */
function referenceRequests(tokenCounts: readonly number[]): number[] {
  const requests: number[] = [];
  let current = 0;
  for (const tokens of tokenCounts) {
    if (current > 0 && current + tokens > referenceTokensPerRequest) {
      requests.push(current);
      current = 0;
    }
    current += tokens;
  }
  if (current > 0) requests.push(current);
  return requests;
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

/** A set of texts the local provider embeds, named for the table. */
interface TextSet {
  readonly name: string;
  readonly texts: readonly string[];
}

async function localThroughput(sets: readonly TextSet[]): Promise<Table> {
  const rows: (string | number)[][] = [];
  for (const { name, texts } of sets) {
    const megabytes = sum(texts.map((text) => Buffer.byteLength(text))) / 1e6;
    for (const dimensions of [384, 1536]) {
      const provider = createLocalProvider({ dimensions });
      await embedAll(provider, texts.slice(0, 1_000)); // warm-up: let V8 optimise the hot paths
      const started = performance.now();
      await embedAll(provider, texts);
      const seconds = (performance.now() - started) / 1000;
      rows.push([
        name,
        provider.model,
        dimensions,
        texts.length,
        megabytes,
        seconds,
        texts.length / seconds,
        megabytes / seconds,
      ]);
    }
  }
  return {
    title: 'local provider throughput (one thread)',
    headers: ['texts', 'model', 'dimensions', 'count', 'MB of text', 'seconds', 'texts/s', 'MB/s'],
    rows,
  };
}

async function batching(
  texts: readonly string[],
  countTokens: TokenCounter,
): Promise<{ table: Table; notes: string[] }> {
  const tokenCounts = texts.map(countTokens);
  const server = await startCountingServer(1536);
  try {
    const provider = createOpenAIProvider({
      baseURL: server.baseURL,
      apiKey: 'bench',
      model: 'text-embedding-3-large',
    });
    const started = performance.now();
    const vectors = await embedAll(provider, texts);
    const seconds = (performance.now() - started) / 1000;
    if (
      vectors.length !== texts.length ||
      sum(server.batches.map((batch) => batch.length)) !== texts.length
    ) {
      throw new Error('the fake server did not receive every text exactly once');
    }
    const ours = server.batches.map((batch) => sum(batch.map(countTokens)));
    const reference = referenceRequests(tokenCounts);
    const row = (name: string, requests: readonly number[], inputs: number) => [
      name,
      requests.length,
      inputs / requests.length,
      sum(requests) / requests.length,
      Math.max(...requests),
    ];
    return {
      table: {
        title: `openai batching: ${texts.length.toLocaleString('en-US')} chunk texts, ${sum(tokenCounts).toLocaleString('en-US')} tokens (cl100k_base), 50–500 tokens each`,
        headers: ['approach', 'requests', 'inputs/request', 'tokens/request', 'max tokens/request'],
        rows: [
          row('this package (≤ 2,048 inputs and ≤ 300,000 tokens per request), measured', ours, texts.length),
          row('reference (≤ 8,000 tokens per request), computed', reference, texts.length),
          ['ratio (reference ÷ this package)', reference.length / ours.length, '', '', ''],
        ],
      },
      notes: [
        `"Measured" counts the requests a local fake OpenAI server received from \`embedAll(createOpenAIProvider(), texts)\` with default settings (embedAll batches of 2,048 texts, each split further by the 300,000-token budget). The whole run took ${seconds.toFixed(1)} s against 127.0.0.1, mostly cl100k_base token counting and base64 decoding; real API latency is not part of it.`,
        'Fewer requests means fewer round trips and less exposure to per-request rate limits (RPM); billed tokens are the same either way.',
      ],
    };
  } finally {
    await server.close();
  }
}

const countTokens = await loadTokenCounter();
const texts = generateTexts(Math.max(textCount, localTextCount), countTokens);
// The chunker's own output for the mixed document of the chunking bench: headers with `›`, names
// in several scripts, emoji, long support notes, so unlike the generated texts above.
const mixedChunkTexts = chunkJson(mixedDocument({ totalBytes: 5_500_000, seed }), {
  documentId: 'mixed',
  strategy: 'auto',
}).chunks.map((chunk) => chunk.text);
const throughput = await localThroughput([
  { name: 'generated chunk-like records', texts: texts.slice(0, localTextCount) },
  { name: 'chunks of the mixed document', texts: mixedChunkTexts },
]);
const batched = await batching(texts.slice(0, textCount), countTokens);

publish({
  id: 'embeddings',
  title: 'Embeddings: local provider throughput and OpenAI request batching',
  command: currentCommand(),
  environment: 'none (no database); openai SDK against an OpenAI-compatible fake server on 127.0.0.1',
  tables: [throughput, batched.table],
  notes: [
    'Texts are generated chunk-like records (a JSON path, key: value lines and a description) of 50–500 tokens, seeded so every run embeds the same set; see `chunkText` in the script. The local provider also embeds the chunk texts `chunkJson` makes of the chunking bench’s mixed document (seeded, 5.5 MB: campaigns, IoT readings, catalogs, users with accented and CJK names and emoji; chunk headers hold `›`), which V8 stores as two-byte strings: there its Unicode word splitting used to cost a third of the time.',
    ...batched.notes,
    'The local provider is lexical feature hashing (words, word bigrams, character 3–5-grams); its speed does not say anything about retrieval quality.',
  ],
});
