// The benches' seeded numbers are the testing package's, shared with the packages' test fixtures.
export { createSeededRandom, type SeededRandom } from '@dynamic-embeddings/testing';
