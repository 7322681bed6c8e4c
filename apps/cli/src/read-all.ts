// Reads a whole stream as UTF-8 text (stdin given as one document).

export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of stream as AsyncIterable<string | Buffer>) {
    parts.push(typeof part === 'string' ? Buffer.from(part) : part);
  }
  return Buffer.concat(parts).toString('utf8');
}
