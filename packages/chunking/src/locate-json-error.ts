// Where JSON text first goes wrong. V8's JSON.parse names the position for most errors but not
// all (`Unexpected token 'x', "xyz" is not valid JSON` has none), so invalid input is re-read by
// this small validator, which only runs after JSON.parse has already failed.

const whitespace = (code: number): boolean =>
  code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
const isDigit = (code: number): boolean => code >= 0x30 && code <= 0x39;
const isHex = (code: number): boolean =>
  isDigit(code) || (code >= 0x41 && code <= 0x46) || (code >= 0x61 && code <= 0x66);
/** What `afterValue` returns when a value comes next (not an index, nor -1 for the valid end). */
const continues = -2;

/** Index of the first character that makes `text` invalid JSON (`text.length` for a premature end), or -1 if valid. */
export function locateJsonError(text: string): number {
  return new JsonErrorLocator(text).locate();
}

/** One read of a text; every method reads from `at` and leaves `at` after what it consumed. */
class JsonErrorLocator {
  private readonly text: string;
  private at = 0;

  constructor(text: string) {
    this.text = text;
  }

  locate(): number {
    const text = this.text;
    // Containers are tracked on an explicit stack so that deep nesting cannot overflow the call stack.
    const stack: number[] = [];
    for (;;) {
      this.skip();
      if (this.at >= text.length) return text.length;
      const code = text.charCodeAt(this.at);
      let error = -1;
      if (code === 0x7b || code === 0x5b) {
        stack.push(code);
        this.at += 1;
        this.skip();
        const close = code === 0x7b ? 0x7d : 0x5d;
        if (text.charCodeAt(this.at) === close) {
          stack.pop();
          this.at += 1;
        } else if (code === 0x7b) {
          error = this.memberKey();
          if (error >= 0) return error;
          continue;
        } else {
          continue;
        }
      } else if (code === 0x22) error = this.string();
      else if (code === 0x2d || isDigit(code)) error = this.number();
      else if (code === 0x74) error = this.literal('true');
      else if (code === 0x66) error = this.literal('false');
      else if (code === 0x6e) error = this.literal('null');
      else return this.at;
      if (error >= 0) return error;
      error = this.afterValue(stack);
      if (error !== continues) return error;
    }
  }

  // After a value: closes containers and moves to the next element or member. Returns the error
  // index, -1 at the valid end of the text, or `continues` when a value is expected next.
  private afterValue(stack: number[]): number {
    const text = this.text;
    for (;;) {
      this.skip();
      const container = stack[stack.length - 1];
      if (container === undefined) return this.at < text.length ? this.at : -1;
      if (this.at >= text.length) return text.length;
      const next = text.charCodeAt(this.at);
      if (next === 0x2c) {
        this.at += 1;
        if (container === 0x7b) {
          this.skip();
          const error = this.memberKey();
          if (error >= 0) return error;
        }
        return continues;
      }
      if ((container === 0x7b && next === 0x7d) || (container === 0x5b && next === 0x5d)) {
        stack.pop();
        this.at += 1;
        continue;
      }
      return this.at;
    }
  }

  private skip(): void {
    while (this.at < this.text.length && whitespace(this.text.charCodeAt(this.at))) this.at += 1;
  }

  // Returns the error index, or -1 after consuming a valid string starting at `at`.
  private string(): number {
    const text = this.text;
    this.at += 1;
    while (this.at < text.length) {
      const at = this.at;
      const code = text.charCodeAt(at);
      if (code === 0x22) {
        this.at += 1;
        return -1;
      }
      if (code < 0x20) return at;
      if (code === 0x5c) {
        const escaped = text.charCodeAt(at + 1);
        if (escaped === 0x75) {
          for (let digit = 2; digit < 6; digit += 1)
            if (!isHex(text.charCodeAt(at + digit))) return Math.min(at + digit, text.length);
          this.at += 6;
          continue;
        }
        if ('"\\/bfnrt'.indexOf(String.fromCharCode(escaped)) < 0 || Number.isNaN(escaped))
          return Math.min(at + 1, text.length);
        this.at += 2;
        continue;
      }
      this.at += 1;
    }
    return text.length;
  }

  private number(): number {
    const text = this.text;
    if (text.charCodeAt(this.at) === 0x2d) this.at += 1;
    if (text.charCodeAt(this.at) === 0x30) this.at += 1;
    else if (isDigit(text.charCodeAt(this.at))) this.digits();
    else return this.at;
    if (text.charCodeAt(this.at) === 0x2e) {
      this.at += 1;
      if (!isDigit(text.charCodeAt(this.at))) return this.at;
      this.digits();
    }
    const exponent = text.charCodeAt(this.at);
    if (exponent === 0x65 || exponent === 0x45) {
      this.at += 1;
      const sign = text.charCodeAt(this.at);
      if (sign === 0x2b || sign === 0x2d) this.at += 1;
      if (!isDigit(text.charCodeAt(this.at))) return this.at;
      this.digits();
    }
    return -1;
  }

  private digits(): void {
    while (isDigit(this.text.charCodeAt(this.at))) this.at += 1;
  }

  private literal(word: string): number {
    for (let index = 0; index < word.length; index += 1) {
      if (this.text.charCodeAt(this.at + index) !== word.charCodeAt(index)) return this.at + index;
    }
    this.at += word.length;
    return -1;
  }

  // An object member's key and its colon, with `at` on the key's opening quote.
  private memberKey(): number {
    if (this.text.charCodeAt(this.at) !== 0x22) return this.at;
    const error = this.string();
    if (error >= 0) return error;
    this.skip();
    if (this.text.charCodeAt(this.at) !== 0x3a) return this.at;
    this.at += 1;
    return -1;
  }
}
