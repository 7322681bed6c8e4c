// Turns a zod failure on a request part into a VALIDATION_ERROR that names every offending field.
import { createError, type DjeError } from '@dynamic-embeddings/core';
import type { z } from 'zod';

const locations: Record<string, string> = { json: 'body', query: 'query', param: 'path', header: 'header' };

export function validationError(target: string, error: z.ZodError): DjeError {
  const location = locations[target] ?? target;
  const issues = error.issues.map((issue) => ({
    location,
    field:
      issue.path.map(String).join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : ''),
    message: issue.message,
  }));
  const summary = issues
    .map((issue) => (issue.field === '' ? issue.message : `${issue.field}: ${issue.message}`))
    .join('; ');
  return createError({
    code: 'VALIDATION_ERROR',
    message: `Invalid request ${location}: ${summary}.`,
    details: { field: issues[0]?.field ?? '', issues },
  });
}
