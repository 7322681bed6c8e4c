// The console's shell: navigation, the key prompt when the API answers 401, and the current view.
import { useEffect, useState } from 'preact/hooks';
import { apiKey, onUnauthorized, setApiKey } from './api.js';
import { ChunkView } from './chunk-view.js';
import { DocumentView } from './document-view.js';
import { KeyPrompt } from './key-prompt.js';
import { NamespaceView } from './namespace-view.js';
import { NamespacesView } from './namespaces-view.js';
import { href, type Route, useRoute } from './router.js';
import { SearchView } from './search-view.js';

function CurrentView({ route }: { readonly route: Route }) {
  switch (route.view) {
    case 'namespaces':
      return <NamespacesView />;
    case 'namespace':
      return <NamespaceView namespace={route.namespace} />;
    case 'search':
      return <SearchView namespace={route.namespace} collection={route.collection} />;
    case 'chunk':
      return <ChunkView />;
    case 'document':
      return (
        <DocumentView
          namespace={route.namespace}
          documentId={route.documentId}
          collection={route.collection}
        />
      );
  }
}

const sections = [
  { view: 'namespaces', label: 'Namespaces', route: { view: 'namespaces' } },
  { view: 'search', label: 'Search', route: { view: 'search' } },
  { view: 'chunk', label: 'Chunk inspector', route: { view: 'chunk' } },
] as const;

export function App() {
  const route = useRoute();
  const [keyNeeded, setKeyNeeded] = useState<string | undefined>();
  // Remounts the view after a key is accepted, so it loads again with the key.
  const [session, setSession] = useState(0);
  useEffect(() => onUnauthorized((error) => setKeyNeeded(error.message)), []);
  const current = route.view === 'namespace' || route.view === 'document' ? 'namespaces' : route.view;

  return (
    <>
      <header class="top">
        <a class="brand" href="#/">
          dje console
        </a>
        <nav aria-label="Sections">
          <ul>
            {sections.map((section) => (
              <li key={section.view}>
                <a href={href(section.route)} aria-current={current === section.view ? 'page' : undefined}>
                  {section.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        {apiKey() === undefined ? null : (
          <button
            type="button"
            class="link"
            onClick={() => {
              setApiKey(undefined);
              setKeyNeeded('Enter another key.');
            }}
          >
            Change API key
          </button>
        )}
      </header>
      <main id="main">
        {keyNeeded === undefined ? (
          <CurrentView key={session} route={route} />
        ) : (
          <KeyPrompt
            reason={keyNeeded}
            onAccepted={() => {
              setKeyNeeded(undefined);
              setSession((value) => value + 1);
            }}
          />
        )}
      </main>
    </>
  );
}
