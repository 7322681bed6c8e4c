// A stored document: its chunks in path order, and a delete that asks first (a modal <dialog>:
// focus moves into it, Escape cancels).
import { useRef, useState } from 'preact/hooks';
import { request, segment } from './api.js';
import { formatCount } from './format.js';
import { href } from './router.js';
import { ErrorMessage, Loading } from './status.js';
import type { StoredChunk } from './types.js';
import { useLoad } from './use-load.js';

const pathOrder = new Intl.Collator('en', { numeric: true });

interface DocumentProps {
  readonly namespace: string;
  readonly documentId: string;
  readonly collection?: string | undefined;
}

function documentPath({ namespace, documentId, collection }: DocumentProps): string {
  const query = collection === undefined ? '' : `?${new URLSearchParams({ collection }).toString()}`;
  return `/v1/namespaces/${segment(namespace)}/documents/${segment(documentId)}${query}`;
}

function ConfirmDelete(
  props: DocumentProps & { readonly chunks: number; readonly onDeleted: (count: number) => void },
) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [error, setError] = useState<Error | undefined>();
  const confirm = async () => {
    try {
      const { deleted } = await request<{ deleted: number }>(documentPath(props), { method: 'DELETE' });
      dialog.current?.close();
      props.onDeleted(deleted);
    } catch (failure) {
      setError(failure instanceof Error ? failure : new Error(String(failure)));
    }
  };
  return (
    <>
      <button type="button" class="danger" onClick={() => dialog.current?.showModal()}>
        Delete document…
      </button>
      <dialog ref={dialog} aria-labelledby="confirm-title">
        <h2 id="confirm-title">Delete document {props.documentId}?</h2>
        <p>
          This deletes its {formatCount(props.chunks)} chunks from namespace {props.namespace}
          {props.collection === undefined ? '' : `, collection ${props.collection}`}. It cannot be undone.
        </p>
        <ErrorMessage error={error} />
        <div class="row">
          <button type="button" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
          <button type="button" class="danger" onClick={confirm}>
            Delete
          </button>
        </div>
      </dialog>
    </>
  );
}

export function DocumentView(props: DocumentProps) {
  const { data, error, loading } = useLoad(
    () => request<{ chunks: StoredChunk[] }>(documentPath(props)),
    [props.namespace, props.documentId, props.collection],
  );
  const [deleted, setDeleted] = useState<number | undefined>();
  const chunks = [...(data?.chunks ?? [])].sort((a, b) => pathOrder.compare(a.path ?? '$', b.path ?? '$'));
  return (
    <section aria-labelledby="document-title">
      <p class="crumbs">
        <a href={href({ view: 'namespaces' })}>Namespaces</a> /{' '}
        <a href={href({ view: 'namespace', namespace: props.namespace })}>{props.namespace}</a> /
      </p>
      <h1 id="document-title">Document {props.documentId}</h1>
      <ErrorMessage error={error} />
      {loading && data === undefined ? <Loading what="the document" /> : null}
      {deleted === undefined ? null : (
        <p class="notice" role="status">
          Deleted document {props.documentId}: {formatCount(deleted)} chunks removed.
        </p>
      )}
      {data === undefined || deleted !== undefined ? null : (
        <>
          <p>
            {formatCount(chunks.length)} chunks
            {props.collection === undefined ? '' : ` in collection ${props.collection}`}.
          </p>
          <ConfirmDelete {...props} chunks={chunks.length} onDeleted={setDeleted} />
          <ol class="results">
            {chunks.map((chunk) => (
              <li key={chunk.chunk_id} class="panel">
                <p class="hit-head">
                  <code>{chunk.path ?? '$'}</code> <span class="tag">{chunk.strategy}</span>{' '}
                  <span class="tag">{chunk.content_type}</span> {formatCount(chunk.token_count ?? 0)} tokens ·{' '}
                  {chunk.collection_name}
                </p>
                <pre>{chunk.text}</pre>
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
