// The SQLSTATE of a database error, whichever driver raised it and however it was wrapped.

/**
 * The five-character SQLSTATE of `error` or of the first error in its `cause` chain that has one
 * (Drizzle wraps driver errors, whose `code` is the SQLSTATE), or undefined.
 */
export function sqlStateOf(error: unknown): string | undefined {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
  }
  return undefined;
}
