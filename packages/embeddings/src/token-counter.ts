// Token counting with OpenAI's cl100k_base encoding (the tokenizer of every OpenAI embedding model),
// loaded on first use: the ranks take a few hundred milliseconds to parse, which `local` users and
// CLI start-up should never pay.

/** Number of cl100k_base tokens in a text. */
export type TokenCounter = (text: string) => number;

let loading: Promise<TokenCounter> | undefined;

/** Loads the cl100k_base tokenizer once per process and returns a counter. */
export function loadTokenCounter(): Promise<TokenCounter> {
  loading ??= (async () => {
    const [{ Tiktoken }, { default: ranks }] = await Promise.all([
      import('js-tiktoken/lite'),
      import('js-tiktoken/ranks/cl100k_base'),
    ]);
    const encoding = new Tiktoken(ranks);
    return (text: string) => encoding.encode(text).length;
  })();
  return loading;
}
