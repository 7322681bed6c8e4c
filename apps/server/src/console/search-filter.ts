// The search filter from the playground's form fields and its JSON editor. The form covers the
// common fields; the JSON editor takes the whole filter language; both apply (form fields win).

export interface FilterFields {
  readonly documentId: string;
  readonly contentType: string;
  readonly strategy: string;
  readonly maxDepth: string;
  readonly json: string;
}

export const emptyFilterFields: FilterFields = {
  documentId: '',
  contentType: '',
  strategy: '',
  maxDepth: '',
  json: '',
};

/** The filter to send (undefined when empty); throws a message naming the problem for bad JSON. */
export function buildFilter(fields: FilterFields): Record<string, unknown> | undefined {
  let filter: Record<string, unknown> = {};
  if (fields.json.trim() !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(fields.json);
    } catch (error) {
      throw new Error(
        `The filter JSON is not valid: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new Error('The filter JSON must be an object, e.g. {"content_type": "text"}.');
    }
    filter = { ...(parsed as Record<string, unknown>) };
  }
  if (fields.documentId.trim() !== '') filter.document_id = fields.documentId.trim();
  if (fields.contentType.trim() !== '') filter.content_type = fields.contentType.trim();
  if (fields.strategy !== '') filter.strategy = fields.strategy;
  if (fields.maxDepth.trim() !== '') filter.depth_level = { $lte: Number(fields.maxDepth) };
  return Object.keys(filter).length === 0 ? undefined : filter;
}

/** The search modes the server offers, read from its OpenAPI document (none before hybrid search). */
export function searchModes(openapi: unknown): readonly string[] {
  const schemas = (openapi as { components?: { schemas?: Record<string, unknown> } })?.components?.schemas;
  const mode = (schemas?.SearchRequest as { properties?: { mode?: { enum?: unknown } } } | undefined)
    ?.properties?.mode;
  return Array.isArray(mode?.enum)
    ? mode.enum.filter((value): value is string => typeof value === 'string')
    : [];
}
