// A real OpenAI-compatible embeddings server on 127.0.0.1 for tests: it answers each request from a
// script (normal, error status, stall, malformed, wrong size, reset) and records every request.
import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ScriptedReply =
  /**
   * 200 with one vector per input, data items in scrambled order. `float` ignores a base64 request;
   * `delayMs` holds the answer back, so concurrent requests overlap; `headers` go with the answer
   * (e.g. x-ratelimit-remaining-requests).
   */
  | {
      readonly kind: 'ok';
      readonly encoding?: 'float';
      readonly delayMs?: number;
      readonly headers?: Readonly<Record<string, string>>;
    }
  /** An error status with an OpenAI-style error body and optional headers (e.g. Retry-After). */
  | {
      readonly kind: 'status';
      readonly status: number;
      readonly message?: string;
      readonly code?: string;
      readonly headers?: Readonly<Record<string, string>>;
    }
  /** Reads the request and never answers. */
  | { readonly kind: 'stall' }
  /** 200 with a body that is not JSON. */
  | { readonly kind: 'malformed' }
  /** 200 with vectors of the given length instead of the requested one. */
  | { readonly kind: 'wrong-dimension'; readonly dimensions: number }
  /** 200 with one vector fewer than inputs. */
  | { readonly kind: 'missing-item' }
  /** Destroys the socket after reading the request. */
  | { readonly kind: 'reset' };

export interface EmbeddingsRequestBody {
  readonly model?: string;
  /** The texts. (A single string, which the API also takes and LangChain sends, is answered as one text.) */
  readonly input?: string[];
  readonly dimensions?: number;
  readonly encoding_format?: string;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: EmbeddingsRequestBody;
  /** `performance.now()` when the request had fully arrived. */
  readonly receivedAt: number;
  readonly reply: ScriptedReply['kind'];
}

export interface TestOpenAIServer {
  /** Base URL to hand to the SDK, ending in `/v1`. */
  readonly baseURL: string;
  /** Every request so far, in arrival order. */
  readonly requests: readonly RecordedRequest[];
  /** Most requests the server was answering at the same time. */
  readonly maxConcurrent: number;
  /**
   * Replies for the next requests, in arrival order; when the script is used up, requests get `ok`
   * (after the server's `delayMs`).
   */
  script(...replies: ScriptedReply[]): void;
  close(): Promise<void>;
}

export interface TestOpenAIServerOptions {
  /** Vector length when the request has no `dimensions` (like ada-002 or a local model); default 1536. */
  readonly defaultDimensions?: number;
  /** How long answers to requests the script does not cover are held back; default 0. */
  readonly delayMs?: number;
  /**
   * Answer `data` in input order, as OpenAI does (default: scrambled, to catch clients that trust
   * the order). For clients that do trust it, such as LangChain's OpenAIEmbeddings.
   */
  readonly inOrder?: boolean;
}

/** The vector the server returns for `text`: derived from its SHA-256, so tests can predict it. */
export function fakeEmbedding(text: string, dimensions: number): Float32Array {
  const seed = createHash('sha256').update(text).digest().readUInt32LE(0);
  const vector = new Float32Array(dimensions);
  for (let position = 0; position < dimensions; position++) {
    vector[position] = (((seed + position * 7919) % 2001) - 1000) / 1000;
  }
  return vector;
}

function encode(vector: Float32Array, format: string | undefined): string | number[] {
  return format === 'base64'
    ? Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString('base64')
    : [...vector];
}

/** Reverses and rotates the indices, so a client that trusts response order gets every vector wrong. */
function scrambled(count: number): number[] {
  const order = Array.from({ length: count }, (_, index) => count - 1 - index);
  const shift = Math.floor(count / 3);
  return [...order.slice(shift), ...order.slice(0, shift)];
}

const notFound: ScriptedReply = {
  kind: 'status',
  status: 404,
  message: 'Only POST /v1/embeddings exists here.',
};

export async function startTestOpenAIServer(
  options: TestOpenAIServerOptions = {},
): Promise<TestOpenAIServer> {
  const defaultDimensions = options.defaultDimensions ?? 1536;
  const requests: RecordedRequest[] = [];
  const pending: ScriptedReply[] = [];
  let concurrent = 0;
  let maxConcurrent = 0;

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      concurrent++;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      // Counted as answered before the answer is written, so the client's next request can never
      // overlap this one in the count.
      let answered = false;
      const markAnswered = () => {
        if (answered) return;
        answered = true;
        concurrent--;
      };
      response.on('close', markAnswered);
      let body: EmbeddingsRequestBody = {};
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as EmbeddingsRequestBody;
      } catch {
        // Recorded as an empty body; the test asserting on it will say what was wrong.
      }
      const path = request.url ?? '';
      const reply: ScriptedReply =
        request.method === 'POST' && path === '/v1/embeddings'
          ? (pending.shift() ?? { kind: 'ok', delayMs: options.delayMs ?? 0 })
          : notFound;
      requests.push({
        method: request.method ?? '',
        path,
        headers: request.headers,
        body,
        receivedAt: performance.now(),
        reply: reply.kind,
      });
      const input: unknown = body.input;
      const inputs: string[] = typeof input === 'string' ? [input] : Array.isArray(input) ? input : [];
      const sendJson = (status: number, json: unknown, headers: Readonly<Record<string, string>> = {}) => {
        markAnswered();
        response.writeHead(status, { 'content-type': 'application/json', ...headers });
        response.end(JSON.stringify(json));
      };
      const answer = (
        dimensions: number,
        count: number,
        format: string | undefined,
        headers: Readonly<Record<string, string>> = {},
      ) => {
        const order =
          options.inOrder === true ? Array.from({ length: count }, (_, index) => index) : scrambled(count);
        const data = order.map((index) => ({
          object: 'embedding',
          index,
          embedding: encode(fakeEmbedding(inputs[index] ?? '', dimensions), format),
        }));
        // Characters, not tokens: a number tests can predict without a tokenizer.
        const tokens = inputs.reduce((sum, input) => sum + input.length, 0);
        sendJson(
          200,
          { object: 'list', data, model: body.model, usage: { prompt_tokens: tokens, total_tokens: tokens } },
          headers,
        );
      };
      const requestedDimensions = body.dimensions ?? defaultDimensions;
      switch (reply.kind) {
        case 'ok':
          setTimeout(
            () =>
              answer(
                requestedDimensions,
                inputs.length,
                reply.encoding ?? body.encoding_format,
                reply.headers,
              ),
            reply.delayMs ?? 0,
          );
          return;
        case 'wrong-dimension':
          answer(reply.dimensions, inputs.length, body.encoding_format);
          return;
        case 'missing-item':
          answer(requestedDimensions, Math.max(0, inputs.length - 1), body.encoding_format);
          return;
        case 'status':
          sendJson(
            reply.status,
            {
              error: {
                message: reply.message ?? `scripted ${reply.status}`,
                type: 'test_error',
                param: null,
                code: reply.code ?? null,
              },
            },
            reply.headers,
          );
          return;
        case 'malformed':
          markAnswered();
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end('{"object": "list", "data": [ this is not json');
          return;
        case 'reset':
          markAnswered();
          request.socket.destroy();
          return;
        case 'stall':
          return;
      }
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    get maxConcurrent() {
      return maxConcurrent;
    },
    script(...replies) {
      pending.push(...replies);
    },
    async close() {
      // Stalled requests hold their sockets open; without this, close() would wait for them forever.
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
