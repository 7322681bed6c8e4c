// Run by the package's build after tsc: writes each encoding's parsed rank table beside the built
// token counter, which reads it instead of parsing the ranks in every fresh process.
import { writeFileSync } from 'node:fs';
import { rankTableBytes } from './rank-table.js';
import { loadRankFile, rankTableFile, tokenEncodings } from './token-counter.js';

for (const encoding of tokenEncodings) {
  writeFileSync(rankTableFile(encoding), rankTableBytes(loadRankFile(encoding).bpe_ranks));
}
