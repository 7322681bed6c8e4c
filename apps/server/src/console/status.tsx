// Loading and error lines every view shows the same way (errors are announced to screen readers).
import { ApiError } from './api.js';

export function ErrorMessage({ error }: { readonly error: Error | undefined }) {
  if (error === undefined) return null;
  return (
    <p class="error" role="alert">
      {error instanceof ApiError ? <code>{error.code}</code> : null} {error.message}
    </p>
  );
}

export function Loading({ what }: { readonly what: string }) {
  return (
    <p class="muted" role="status">
      Loading {what}…
    </p>
  );
}
