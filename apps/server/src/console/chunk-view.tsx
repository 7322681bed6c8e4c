// The chunk inspector: paste or upload a JSON document, pick a strategy or auto, and see the
// document as a tree with each chunk's region marked, the chunk texts and token counts beside it,
// and the auto decision's scores. It calls POST /v1/chunk: nothing is stored or embedded.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { request } from './api.js';
import { SelectField } from './fields.js';
import { formatCount, formatScore } from './format.js';
import { JsonTree } from './json-tree.js';
import { createRegionLookup, regionOf } from './regions.js';
import { ErrorMessage } from './status.js';
import { type ChunkPreview, strategies } from './types.js';

const example = JSON.stringify(
  {
    name: 'Spring mobile banner campaign',
    budget: { total: 12000, currency: 'EUR' },
    targeting: { countries: ['NO', 'SE'], devices: ['mobile'] },
    creatives: [
      { title: 'Fjord sunrise', ctr: 0.042 },
      { title: 'City lights', ctr: 0.031 },
    ],
  },
  null,
  2,
);

function Scores({ preview }: { readonly preview: ChunkPreview }) {
  if (preview.scores === undefined) return null;
  const entries = Object.entries(preview.scores).sort(([, a], [, b]) => b - a);
  return (
    <table class="scores">
      <caption>Strategy scores of the auto decision</caption>
      <thead>
        <tr>
          <th scope="col">Strategy</th>
          <th scope="col">Score</th>
        </tr>
      </thead>
      <tbody>
        {entries.map(([name, score]) => (
          <tr key={name} class={name === preview.strategy ? 'chosen' : undefined}>
            <th scope="row">
              {name}
              {name === preview.strategy ? ' (chosen)' : ''}
            </th>
            <td class="number">{formatScore(score)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ChunkList(props: {
  readonly preview: ChunkPreview;
  readonly selected: number | undefined;
  readonly onSelect: (index: number) => void;
}) {
  return (
    <ol class="chunk-list" aria-label="Chunks">
      {props.preview.chunks.map((chunk, index) => (
        <li key={chunk.chunk_id} class={`region-${index % 8}${index === props.selected ? ' selected' : ''}`}>
          <button type="button" aria-pressed={index === props.selected} onClick={() => props.onSelect(index)}>
            Chunk {index + 1} · <code>{chunk.path ?? '$'}</code> · {formatCount(chunk.token_count ?? 0)}{' '}
            tokens · {chunk.content_type}
          </button>
          <pre>{chunk.text}</pre>
        </li>
      ))}
    </ol>
  );
}

function Inspection({ data, preview }: { readonly data: unknown; readonly preview: ChunkPreview }) {
  const [selected, setSelected] = useState<number | undefined>();
  const ownerOf = useMemo(() => createRegionLookup(preview.chunks.map((chunk) => chunk.path)), [preview]);
  const selectedPath = selected === undefined ? undefined : (preview.chunks[selected]?.path ?? '$');
  useEffect(() => {
    if (selected !== undefined)
      document.querySelector('.tree .selected')?.scrollIntoView({ block: 'nearest' });
  }, [selected]);
  const tokens = preview.chunks.reduce((total, chunk) => total + (chunk.token_count ?? 0), 0);
  return (
    <section aria-labelledby="inspection-title">
      <h2 id="inspection-title" aria-live="polite">
        {formatCount(preview.chunks.length)} {preview.chunks.length === 1 ? 'chunk' : 'chunks'},{' '}
        {formatCount(tokens)} tokens, strategy {preview.strategy} (confidence{' '}
        {formatScore(preview.confidence)})
      </h2>
      <Scores preview={preview} />
      <div class="split">
        <JsonTree
          value={data}
          context={{
            ownerOf,
            selected,
            selectedBase: selectedPath === undefined ? undefined : regionOf(selectedPath).base,
            onSelect: setSelected,
          }}
        />
        <ChunkList preview={preview} selected={selected} onSelect={setSelected} />
      </div>
    </section>
  );
}

export function ChunkView() {
  const [text, setText] = useState(example);
  const [strategy, setStrategy] = useState('auto');
  const [result, setResult] = useState<{ data: unknown; preview: ChunkPreview } | undefined>();
  const [error, setError] = useState<Error | undefined>();

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    try {
      let data: unknown;
      try {
        data = JSON.parse(text);
      } catch (failure) {
        throw new Error(`The document is not valid JSON: ${failure instanceof Error ? failure.message : ''}`);
      }
      const preview = await request<ChunkPreview>('/v1/chunk', { method: 'POST', body: { data, strategy } });
      setResult({ data, preview });
    } catch (failure) {
      setResult(undefined);
      setError(failure instanceof Error ? failure : new Error(String(failure)));
    }
  };
  const upload = async (files: FileList | null) => {
    const file = files?.[0];
    if (file !== undefined) setText(await file.text());
  };

  return (
    <section aria-labelledby="chunk-title">
      <h1 id="chunk-title">Chunk inspector</h1>
      <form class="chunk-form" onSubmit={submit}>
        <div class="field wide">
          <label for="chunk-json">JSON document</label>
          <textarea
            id="chunk-json"
            rows={12}
            spellcheck={false}
            value={text}
            onInput={(event) => setText(event.currentTarget.value)}
          />
        </div>
        <div class="row">
          <div class="field">
            <label for="chunk-file">Or upload a JSON file</label>
            <input
              id="chunk-file"
              type="file"
              accept=".json,application/json"
              onChange={(event) => upload(event.currentTarget.files)}
            />
          </div>
          <SelectField
            id="chunk-strategy"
            label="Strategy"
            value={strategy}
            options={strategies}
            onChange={setStrategy}
          />
        </div>
        <button type="submit">Chunk</button>
      </form>
      <ErrorMessage error={error} />
      {result === undefined ? null : <Inspection data={result.data} preview={result.preview} />}
    </section>
  );
}
