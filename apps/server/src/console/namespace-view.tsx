// One namespace: its statistics, its collections (counts, strategies and content types as small
// charts), and a way into a stored document and into the search playground.
import { useState } from 'preact/hooks';
import { request, segment } from './api.js';
import { BarChart } from './bar-chart.js';
import { formatCount } from './format.js';
import { indexState } from './namespaces-view.js';
import { href } from './router.js';
import { ErrorMessage, Loading } from './status.js';
import type { BackupInfo, CollectionStats, NamespaceStats } from './types.js';
import { useLoad } from './use-load.js';

async function loadNamespace(namespace: string) {
  const base = `/v1/namespaces/${segment(namespace)}`;
  const [stats, list, { backups }] = await Promise.all([
    request<NamespaceStats>(base),
    request<{ collections: { collection_name: string }[] }>(`${base}/collections`),
    request<{ backups: BackupInfo[] }>(`${base}/backups`),
  ]);
  const collections = await Promise.all(
    list.collections.map((collection) =>
      request<CollectionStats>(`${base}/collections/${segment(collection.collection_name)}`),
    ),
  );
  return { stats, collections, backups };
}

function Backups({ backups }: { readonly backups: readonly BackupInfo[] }) {
  if (backups.length === 0) return <p>No backups.</p>;
  return (
    <table>
      <caption class="visually-hidden">Backups of this namespace</caption>
      <thead>
        <tr>
          <th scope="col">Backup table</th>
          <th scope="col">Made</th>
          <th scope="col">Reason</th>
          <th scope="col">Rows</th>
          <th scope="col">Model</th>
        </tr>
      </thead>
      <tbody>
        {backups.map((backup) => (
          <tr key={backup.table_name}>
            <th scope="row">
              <code>{backup.table_name}</code>
              {backup.exists ? '' : ' (table missing)'}
            </th>
            <td>{new Date(backup.created_at).toLocaleString('en')}</td>
            <td>{backup.reason}</td>
            <td class="number">{formatCount(backup.row_count)}</td>
            <td>{backup.model}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function OpenDocument({ namespace }: { readonly namespace: string }) {
  const [documentId, setDocumentId] = useState('');
  return (
    <form
      class="inline"
      onSubmit={(event) => {
        event.preventDefault();
        if (documentId.trim() !== '') {
          location.hash = href({ view: 'document', namespace, documentId: documentId.trim() });
        }
      }}
    >
      <label for="open-document">Document id</label>
      <input
        id="open-document"
        required
        value={documentId}
        onInput={(event) => setDocumentId(event.currentTarget.value)}
      />
      <button type="submit">Open document</button>
    </form>
  );
}

export function NamespaceView({ namespace }: { readonly namespace: string }) {
  const { data, error, loading } = useLoad(() => loadNamespace(namespace), [namespace]);
  return (
    <section aria-labelledby="namespace-title">
      <p class="crumbs">
        <a href={href({ view: 'namespaces' })}>Namespaces</a> /
      </p>
      <h1 id="namespace-title">{namespace}</h1>
      <ErrorMessage error={error} />
      {loading && data === undefined ? <Loading what={`namespace ${namespace}`} /> : null}
      {data === undefined ? null : (
        <>
          <dl class="facts">
            <dt>Embeddings</dt>
            <dd>{formatCount(data.stats.embedding_count)}</dd>
            <dt>Table size</dt>
            <dd>
              {data.stats.table_size} ({formatCount(data.stats.bytes_per_vector)} bytes per vector)
            </dd>
            <dt>Index size</dt>
            <dd>{data.stats.index_size}</dd>
            <dt>Model</dt>
            <dd>
              {data.stats.provider}/{data.stats.model}, {data.stats.dimensions} dimensions,{' '}
              {data.stats.storage}
            </dd>
            <dt>Index</dt>
            <dd>{indexState(data.stats)}</dd>
            <dt>Recall target</dt>
            <dd>{data.stats.recall_target}</dd>
          </dl>
          <p>
            <a class="button" href={href({ view: 'search', namespace })}>
              Search this namespace
            </a>
          </p>
          <OpenDocument namespace={namespace} />
          <h2>Collections</h2>
          {data.collections.length === 0 ? <p>No collections.</p> : null}
          <ul class="cards">
            {data.collections.map((collection) => (
              <li key={collection.collection_name} class="panel">
                <h3>{collection.collection_name}</h3>
                <p>
                  {formatCount(collection.document_count)} documents,{' '}
                  {formatCount(collection.total_embeddings)} chunks, {formatCount(collection.total_tokens)}{' '}
                  tokens ·{' '}
                  <a href={href({ view: 'search', namespace, collection: collection.collection_name })}>
                    search
                  </a>
                </p>
                <BarChart label="Strategies" values={collection.strategy_distribution} />
                <BarChart label="Content types" values={collection.content_type_distribution} />
              </li>
            ))}
          </ul>
          <h2>Backups</h2>
          <Backups backups={data.backups} />
        </>
      )}
    </section>
  );
}
