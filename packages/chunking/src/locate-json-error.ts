// Where JSON text first goes wrong. V8's JSON.parse names the position for most errors but not
// all (`Unexpected token 'x', "xyz" is not valid JSON` has none), so invalid input is re-read by
// this small validator, which only runs after JSON.parse has already failed.

const whitespace = (code: number): boolean =>
  code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
const isDigit = (code: number): boolean => code >= 0x30 && code <= 0x39;
const isHex = (code: number): boolean =>
  isDigit(code) || (code >= 0x41 && code <= 0x46) || (code >= 0x61 && code <= 0x66);

/** Index of the first character that makes `text` invalid JSON (`text.length` for a premature end), or -1 if valid. */
export function locateJsonError(text: string): number {
  let at = 0;
  const skip = (): void => {
    while (at < text.length && whitespace(text.charCodeAt(at))) at += 1;
  };

  // Returns the error index, or -1 after consuming a valid string starting at `at`.
  const string = (): number => {
    at += 1;
    while (at < text.length) {
      const code = text.charCodeAt(at);
      if (code === 0x22) {
        at += 1;
        return -1;
      }
      if (code < 0x20) return at;
      if (code === 0x5c) {
        const escaped = text.charCodeAt(at + 1);
        if (escaped === 0x75) {
          for (let digit = 2; digit < 6; digit += 1)
            if (!isHex(text.charCodeAt(at + digit))) return Math.min(at + digit, text.length);
          at += 6;
          continue;
        }
        if ('"\\/bfnrt'.indexOf(String.fromCharCode(escaped)) < 0 || Number.isNaN(escaped))
          return Math.min(at + 1, text.length);
        at += 2;
        continue;
      }
      at += 1;
    }
    return text.length;
  };

  const number = (): number => {
    if (text.charCodeAt(at) === 0x2d) at += 1;
    if (text.charCodeAt(at) === 0x30) at += 1;
    else if (isDigit(text.charCodeAt(at))) while (isDigit(text.charCodeAt(at))) at += 1;
    else return at;
    if (text.charCodeAt(at) === 0x2e) {
      at += 1;
      if (!isDigit(text.charCodeAt(at))) return at;
      while (isDigit(text.charCodeAt(at))) at += 1;
    }
    const exponent = text.charCodeAt(at);
    if (exponent === 0x65 || exponent === 0x45) {
      at += 1;
      const sign = text.charCodeAt(at);
      if (sign === 0x2b || sign === 0x2d) at += 1;
      if (!isDigit(text.charCodeAt(at))) return at;
      while (isDigit(text.charCodeAt(at))) at += 1;
    }
    return -1;
  };

  const literal = (word: string): number => {
    for (let index = 0; index < word.length; index += 1) {
      if (text.charCodeAt(at + index) !== word.charCodeAt(index)) return at + index;
    }
    at += word.length;
    return -1;
  };

  // An object member's key and its colon, with `at` on the key's opening quote.
  const memberKey = (): number => {
    if (text.charCodeAt(at) !== 0x22) return at;
    const error = string();
    if (error >= 0) return error;
    skip();
    if (text.charCodeAt(at) !== 0x3a) return at;
    at += 1;
    return -1;
  };

  // Containers are tracked on an explicit stack so that deep nesting cannot overflow the call stack.
  const stack: number[] = [];
  for (;;) {
    skip();
    if (at >= text.length) return text.length;
    const code = text.charCodeAt(at);
    let error = -1;
    if (code === 0x7b || code === 0x5b) {
      stack.push(code);
      at += 1;
      skip();
      const close = code === 0x7b ? 0x7d : 0x5d;
      if (text.charCodeAt(at) === close) {
        stack.pop();
        at += 1;
      } else if (code === 0x7b) {
        error = memberKey();
        if (error >= 0) return error;
        continue;
      } else {
        continue;
      }
    } else if (code === 0x22) error = string();
    else if (code === 0x2d || isDigit(code)) error = number();
    else if (code === 0x74) error = literal('true');
    else if (code === 0x66) error = literal('false');
    else if (code === 0x6e) error = literal('null');
    else return at;
    if (error >= 0) return error;

    // After a value: close containers or move to the next element/member.
    for (;;) {
      skip();
      const container = stack[stack.length - 1];
      if (container === undefined) return at < text.length ? at : -1;
      if (at >= text.length) return text.length;
      const next = text.charCodeAt(at);
      if (next === 0x2c) {
        at += 1;
        if (container === 0x7b) {
          skip();
          error = memberKey();
          if (error >= 0) return error;
        }
        break;
      }
      if ((container === 0x7b && next === 0x7d) || (container === 0x5b && next === 0x5d)) {
        stack.pop();
        at += 1;
        continue;
      }
      return at;
    }
  }
}
