// Every namespace the key may read, with size, model, index state and recall target.
import { request, segment } from './api.js';
import { formatCount } from './format.js';
import { href } from './router.js';
import { ErrorMessage, Loading } from './status.js';
import type { NamespaceInfo, NamespaceStats } from './types.js';
import { useLoad } from './use-load.js';

/** Table sizes come from each namespace's statistics, fetched together after the list. */
async function loadNamespaces(): Promise<{ namespace: NamespaceInfo; stats?: NamespaceStats }[]> {
  const { namespaces } = await request<{ namespaces: NamespaceInfo[] }>('/v1/namespaces');
  const stats = await Promise.all(
    namespaces.map((info) =>
      request<NamespaceStats>(`/v1/namespaces/${segment(info.namespace)}`).catch(() => undefined),
    ),
  );
  return namespaces.map((namespace, index) => {
    const found = stats[index];
    return found === undefined ? { namespace } : { namespace, stats: found };
  });
}

export function indexState(info: NamespaceInfo): string {
  if (info.index_type === 'none') return 'none (exact search)';
  return info.vector_index_exists
    ? `${info.index_type}, built`
    : `${info.index_type}, not built yet (at ${formatCount(info.index_threshold)} rows)`;
}

export function NamespacesView() {
  const { data, error, loading } = useLoad(loadNamespaces, []);
  return (
    <section aria-labelledby="namespaces-title">
      <h1 id="namespaces-title">Namespaces</h1>
      <ErrorMessage error={error} />
      {loading && data === undefined ? <Loading what="namespaces" /> : null}
      {data?.length === 0 ? (
        <p>
          No namespaces yet. Ingest documents with <code>dje ingest</code> or{' '}
          <code>PUT /v1/namespaces/&#123;ns&#125;/documents/&#123;id&#125;</code>.
        </p>
      ) : null}
      {data !== undefined && data.length > 0 ? (
        <table>
          <caption class="visually-hidden">Namespaces this key may read</caption>
          <thead>
            <tr>
              <th scope="col">Namespace</th>
              <th scope="col">Embeddings</th>
              <th scope="col">Table size</th>
              <th scope="col">Index size</th>
              <th scope="col">Storage</th>
              <th scope="col">Model</th>
              <th scope="col">Index</th>
              <th scope="col">Recall target</th>
            </tr>
          </thead>
          <tbody>
            {data.map(({ namespace, stats }) => (
              <tr key={namespace.namespace}>
                <th scope="row">
                  <a href={href({ view: 'namespace', namespace: namespace.namespace })}>
                    {namespace.namespace}
                  </a>
                </th>
                <td class="number">{formatCount(namespace.embedding_count)}</td>
                <td class="number">{stats?.table_size ?? '–'}</td>
                <td class="number">{stats?.index_size ?? '–'}</td>
                <td>{namespace.storage}</td>
                <td>
                  {namespace.provider}/{namespace.model} ({namespace.dimensions} dims)
                </td>
                <td>{indexState(namespace)}</td>
                <td class="number">{namespace.recall_target}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
