// Asks for an API key when the server answers 401, and checks it before closing.
import { useState } from 'preact/hooks';
import { ApiError, apiKey, request, setApiKey } from './api.js';

export function KeyPrompt({
  reason,
  onAccepted,
}: {
  readonly reason: string;
  readonly onAccepted: () => void;
}) {
  const [key, setKey] = useState('');
  const [problem, setProblem] = useState<string | undefined>(apiKey() === undefined ? undefined : reason);
  const [checking, setChecking] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setChecking(true);
    setApiKey(key.trim());
    try {
      await request('/v1/namespaces', { quiet: true });
      onAccepted();
    } catch (error) {
      setApiKey(undefined);
      setProblem(
        error instanceof ApiError && error.status === 401
          ? `The server did not accept this key: ${error.message}`
          : `Could not check the key: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      setChecking(false);
    }
  };

  return (
    <section class="panel key-prompt" aria-labelledby="key-title">
      <h1 id="key-title">API key needed</h1>
      <p>This server needs an API key (the one in DJE_API_KEYS, e.g. from your operator).</p>
      <form class="inline" onSubmit={submit}>
        <label for="api-key">API key</label>
        <input
          id="api-key"
          type="password"
          autocomplete="off"
          required
          value={key}
          onInput={(event) => setKey(event.currentTarget.value)}
          aria-describedby={problem === undefined ? undefined : 'key-problem'}
        />
        <button type="submit" disabled={checking}>
          {checking ? 'Checking…' : 'Use this key'}
        </button>
      </form>
      {problem === undefined ? null : (
        <p id="key-problem" class="error" role="alert">
          {problem}
        </p>
      )}
      <p class="muted">The key is kept for this browser tab only.</p>
    </section>
  );
}
