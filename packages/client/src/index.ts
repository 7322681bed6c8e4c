export { createDjeClient, type DjeClient, type DjeClientOptions } from './create-client.js';
export type { components, operations, paths } from './generated/api.js';
