import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { locateJsonError } from './locate-json-error.js';
import { parseJson } from './parse-json.js';

// A fixed seed keeps the suite deterministic; change it to explore other inputs.
fc.configureGlobal({ seed: 20_241_128 });

function failure(
  text: string,
  source?: string,
): { message: string; details: Record<string, unknown>; code: string } {
  try {
    parseJson(text, source === undefined ? {} : { source });
  } catch (error) {
    return error as { message: string; details: Record<string, unknown>; code: string };
  }
  throw new Error(`expected ${JSON.stringify(text)} to be invalid`);
}

describe('parseJson', () => {
  it('parses valid JSON like JSON.parse', () => {
    expect(parseJson('{"a":[1,2,{"b":null}]}')).toEqual({ a: [1, 2, { b: null }] });
    expect(parseJson(' "text" ')).toBe('text');
  });

  it.each([
    // [text, line, column, position] — positions point at the first character that is wrong.
    ['{"a":1,}', 1, 8, 7],
    ['{\n  "a": 1,\n  "b": tru\n}', 3, 11, 22],
    ['[1, 2', 1, 6, 5],
    ['xyz', 1, 1, 0],
    ['{"a": [1,,2]}', 1, 10, 9],
    ['[\n1,\n2,\n]', 4, 1, 8],
    ['{"text": "line\nbreak"}', 1, 15, 14],
    ['', 1, 1, 0],
  ])('reports where %j goes wrong', (text, line, column, position) => {
    const error = failure(text);
    expect(error.code).toBe('INVALID_JSON');
    expect(error.details).toMatchObject({ line, column, position });
    expect(error.message).toContain(`line ${line}, column ${column} (position ${position})`);
  });

  it('names the source in the message and details', () => {
    const error = failure('{"a" 1}', 'campaigns/spring.json');
    expect(error.message).toContain('in campaigns/spring.json at line 1, column 6');
    expect(error.details.source).toBe('campaigns/spring.json');
  });
});

describe('locateJsonError', () => {
  it('accepts exactly what JSON.parse accepts', () => {
    const alphabet = fc.constantFrom(
      '{',
      '}',
      '[',
      ']',
      '"a"',
      '"',
      ':',
      ',',
      '1',
      '-',
      '.5',
      'e3',
      'true',
      'nul',
      'null',
      ' ',
      '\\',
      '\\u00e9',
      '\n',
    );
    const candidate = fc.oneof(
      fc.json(),
      fc.array(alphabet, { maxLength: 12 }).map((parts) => parts.join('')),
      fc
        .json()
        .chain((valid) => fc.nat(valid.length).map((cut) => valid.slice(0, cut) + valid.slice(cut + 1))),
    );
    fc.assert(
      fc.property(candidate, (text) => {
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        expect(locateJsonError(text) < 0).toBe(valid);
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees with the positions V8 reports', () => {
    for (const text of ['{"a":1,}', '[1,2', '{"a" 1}', '{a:1}', '[01]', '[1.]', '"\\x"', '"abc', '[1] x']) {
      let message = '';
      try {
        JSON.parse(text);
      } catch (error) {
        message = (error as Error).message;
      }
      const stated = /at position (\d+)/.exec(message);
      expect(stated).not.toBeNull();
      expect(locateJsonError(text)).toBe(Number(stated![1]));
    }
  });

  it('handles deep nesting without recursion', () => {
    expect(locateJsonError(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)).toBe(-1);
    expect(locateJsonError(`${'['.repeat(100_000)}${']'.repeat(99_999)}`)).toBe(200_000 - 1);
  });
});
