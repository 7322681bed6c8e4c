// Token counting with OpenAI's cl100k_base encoding (the tokenizer of every OpenAI embedding model).
// The counter is the chunker's (`@dynamic-embeddings/tokenizer`), so a chunk's `token_count` and
// the provider's request budgets always agree; its ranks load on first use, which `local` users
// and CLI start-up never pay.
import { tokenCounter } from '@dynamic-embeddings/tokenizer';

/** Number of cl100k_base tokens in a text. */
export type TokenCounter = (text: string) => number;

let counter: TokenCounter | undefined;

/** The cl100k_base counter, loaded once per process. Special-token strings count as text. */
export function loadTokenCounter(): Promise<TokenCounter> {
  if (counter === undefined) {
    const shared = tokenCounter('cl100k_base');
    counter = (text) => shared.count(text);
  }
  return Promise.resolve(counter);
}
