// The search playground: query, namespace, collection, limit, threshold, filters (form and JSON),
// the search mode when the server has modes; hits with similarity, path, strategy and text, and
// the plan the search used.
import { useState } from 'preact/hooks';
import { request, segment } from './api.js';
import { Field, SelectField } from './fields.js';
import { formatScore } from './format.js';
import { href } from './router.js';
import { buildFilter, emptyFilterFields, type FilterFields, searchModes } from './search-filter.js';
import { ErrorMessage } from './status.js';
import { type NamespaceInfo, type SearchResults, strategies } from './types.js';
import { useLoad } from './use-load.js';

interface SearchForm extends FilterFields {
  readonly namespace: string;
  readonly collection: string;
  readonly query: string;
  readonly limit: string;
  readonly threshold: string;
  readonly mode: string;
}

async function loadChoices() {
  const [{ namespaces }, openapi] = await Promise.all([
    request<{ namespaces: NamespaceInfo[] }>('/v1/namespaces'),
    request<unknown>('/openapi.json').catch(() => undefined),
  ]);
  return { namespaces: namespaces.map((info) => info.namespace), modes: searchModes(openapi) };
}

function searchBody(form: SearchForm): Record<string, unknown> {
  const filter = buildFilter(form);
  return {
    query: form.query,
    limit: Number(form.limit),
    explain: true,
    ...(form.collection.trim() === '' ? {} : { collection: form.collection.trim() }),
    ...(form.threshold.trim() === '' ? {} : { threshold: Number(form.threshold) }),
    ...(filter === undefined ? {} : { filter }),
    ...(form.mode === '' ? {} : { mode: form.mode }),
  };
}

/** The namespace's collections (loaded when the namespace changes), or all of them. */
function CollectionSelect(props: {
  readonly namespace: string;
  readonly value: string;
  readonly onChange: (collection: string) => void;
}) {
  const { data } = useLoad(
    () =>
      props.namespace === ''
        ? Promise.resolve([])
        : request<{ collections: { collection_name: string }[] }>(
            `/v1/namespaces/${segment(props.namespace)}/collections`,
          ).then(({ collections }) => collections.map((collection) => collection.collection_name)),
    [props.namespace],
  );
  return (
    <SelectField
      id="search-collection"
      label="Collection"
      value={props.value}
      options={data ?? []}
      empty="all collections"
      onChange={props.onChange}
    />
  );
}

function Results({ answer }: { readonly answer: SearchResults & { readonly namespace: string } }) {
  return (
    <section aria-labelledby="results-title">
      <h2 id="results-title">
        {answer.results.length} {answer.results.length === 1 ? 'result' : 'results'}
      </h2>
      <ol class="results">
        {answer.results.map((hit) => (
          <li key={hit.chunk_id} class="panel">
            <p class="hit-head">
              <strong>{formatScore(hit.similarity)}</strong>{' '}
              <a
                href={href({
                  view: 'document',
                  namespace: answer.namespace,
                  documentId: hit.document_id,
                  collection: hit.collection_name,
                })}
              >
                {hit.document_id}
              </a>{' '}
              <code>{hit.path ?? '$'}</code> <span class="tag">{hit.strategy}</span>{' '}
              <span class="tag">{hit.content_type}</span>
            </p>
            <pre>{hit.text}</pre>
          </li>
        ))}
      </ol>
      {answer.plan === undefined ? null : (
        <details>
          <summary>Plan (explain)</summary>
          <pre>{JSON.stringify(answer.plan, null, 2)}</pre>
        </details>
      )}
    </section>
  );
}

function FilterInputs({
  form,
  set,
}: {
  readonly form: SearchForm;
  readonly set: (patch: Partial<SearchForm>) => void;
}) {
  return (
    <fieldset>
      <legend>Filter</legend>
      <Field
        id="filter-document"
        label="Document id"
        value={form.documentId}
        onInput={(documentId) => set({ documentId })}
      />
      <Field
        id="filter-content-type"
        label="Content type"
        value={form.contentType}
        onInput={(contentType) => set({ contentType })}
      />
      <SelectField
        id="filter-strategy"
        label="Strategy"
        value={form.strategy}
        options={strategies.slice(1)}
        empty="any"
        onChange={(strategy) => set({ strategy })}
      />
      <Field
        id="filter-depth"
        label="Max depth"
        type="number"
        value={form.maxDepth}
        onInput={(maxDepth) => set({ maxDepth })}
        attributes={{ min: '0' }}
      />
      <div class="field wide">
        <label for="filter-json">Filter JSON (the full filter language)</label>
        <textarea
          id="filter-json"
          rows={3}
          spellcheck={false}
          placeholder='{"metadata": {"$contains": {"region": "EU"}}}'
          value={form.json}
          onInput={(event) => set({ json: event.currentTarget.value })}
        />
      </div>
    </fieldset>
  );
}

export function SearchView(props: {
  readonly namespace?: string | undefined;
  readonly collection?: string | undefined;
}) {
  const choices = useLoad(loadChoices, []);
  const [form, setForm] = useState<SearchForm>({
    ...emptyFilterFields,
    namespace: props.namespace ?? '',
    collection: props.collection ?? '',
    query: '',
    limit: '10',
    threshold: '',
    mode: '',
  });
  const [answer, setAnswer] = useState<(SearchResults & { namespace: string }) | undefined>();
  const [error, setError] = useState<Error | undefined>();
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<SearchForm>) => setForm((previous) => ({ ...previous, ...patch }));
  const namespace = form.namespace || choices.data?.namespaces[0] || '';

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const path = `/v1/namespaces/${segment(namespace)}/search`;
      const found = await request<SearchResults>(path, { method: 'POST', body: searchBody(form) });
      setAnswer({ ...found, namespace });
    } catch (failure) {
      setAnswer(undefined);
      setError(failure instanceof Error ? failure : new Error(String(failure)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="search-title">
      <h1 id="search-title">Search playground</h1>
      <ErrorMessage error={choices.error} />
      <form class="search-form" onSubmit={submit}>
        <Field
          id="search-query"
          label="Query"
          value={form.query}
          required
          onInput={(query) => set({ query })}
        />
        <div class="row">
          <SelectField
            id="search-namespace"
            label="Namespace"
            required
            value={namespace}
            options={choices.data?.namespaces ?? []}
            onChange={(name) => set({ namespace: name, collection: '' })}
          />
          <CollectionSelect
            namespace={namespace}
            value={form.collection}
            onChange={(collection) => set({ collection })}
          />
          <Field
            id="search-limit"
            label="Limit"
            type="number"
            required
            value={form.limit}
            onInput={(limit) => set({ limit })}
            attributes={{ min: '1', max: '1000' }}
          />
          <Field
            id="search-threshold"
            label="Threshold"
            type="number"
            value={form.threshold}
            onInput={(threshold) => set({ threshold })}
            attributes={{ min: '-1', max: '1', step: '0.01' }}
          />
          {choices.data?.modes.length ? (
            <SelectField
              id="search-mode"
              label="Mode"
              value={form.mode}
              options={choices.data.modes}
              empty="server default"
              onChange={(mode) => set({ mode })}
            />
          ) : null}
        </div>
        <FilterInputs form={form} set={set} />
        {/* Enabled once the namespaces are listed: the select has no option to submit before. */}
        <button type="submit" disabled={busy || choices.data === undefined || namespace === ''}>
          {busy ? 'Searching…' : 'Search'}
        </button>
      </form>
      <ErrorMessage error={error} />
      {answer === undefined ? null : <Results answer={answer} />}
    </section>
  );
}
