// What to run next, phrased for the CLI from an error's code and details (the server phrases the
// same errors with its HTTP routes).
import type { HintPhrasing } from '@dynamic-embeddings/core';

const listBackups = 'List backups with `dje namespace backups`.';

export const cliHints: HintPhrasing = {
  NAMESPACE_NOT_FOUND: ({ namespace }) =>
    typeof namespace === 'string'
      ? `List namespaces with \`dje namespace list\`, or create it with \`dje namespace create ${namespace}\` (ingesting into it also creates it).`
      : 'List namespaces with `dje namespace list`.',
  COLLECTION_NOT_FOUND: ({ namespace }) =>
    typeof namespace === 'string'
      ? `List collections with \`dje collection list --namespace ${namespace}\`.`
      : 'List collections with `dje collection list`.',
  DOCUMENT_NOT_FOUND: () => 'Search for it with `dje search`, or see `dje collection list`.',
  CONFIRMATION_REQUIRED: () => 'Pass --force to confirm.',
  DATABASE_LOCKED: ({ pid }) =>
    pid === undefined
      ? undefined
      : 'Stop the other dje command or server, use the HTTP API of a running `dje serve`, or set DATABASE_URL to a PostgreSQL server for concurrent use.',
  TARGET_EXISTS: ({ target }) =>
    typeof target === 'string'
      ? `Choose another --target, or drop it with \`dje namespace drop ${target} --force\`.`
      : undefined,
  INDEX_DIMENSIONS_UNSUPPORTED: ({ namespace, suggested_storage: storage }) =>
    typeof namespace === 'string'
      ? storage === 'halfvec'
        ? `Run \`dje namespace create ${namespace} --storage halfvec\`, or \`--quantization binary\` (HNSW over 1 bit a dimension, re-ranked exactly), or \`--index none\` for exact search.`
        : `Run \`dje namespace create ${namespace} --quantization binary\` (HNSW over 1 bit a dimension, re-ranked exactly) or \`--index none\` for exact search, or use a model with fewer dimensions (--dimensions).`
      : undefined,
  BACKUP_NOT_FOUND: () => listBackups,
  NOT_A_BACKUP: () => listBackups,
};
