// Hash routes (`#/namespaces/production`): the server serves one page at `/`, so every view is
// a bookmarkable URL without server-side routing.
import { useEffect, useState } from 'preact/hooks';

export type Route =
  | { readonly view: 'namespaces' }
  | { readonly view: 'namespace'; readonly namespace: string }
  | { readonly view: 'search'; readonly namespace?: string; readonly collection?: string }
  | { readonly view: 'chunk' }
  | {
      readonly view: 'document';
      readonly namespace: string;
      readonly documentId: string;
      readonly collection?: string;
    };

export function parseRoute(hash: string): Route {
  const [pathPart = '', queryPart = ''] = hash.replace(/^#/, '').split('?');
  const parts = pathPart.split('/').filter(Boolean).map(decodeURIComponent);
  const query = new URLSearchParams(queryPart);
  const collection = query.get('collection') ?? undefined;
  const withCollection = collection === undefined ? {} : { collection };
  if (parts[0] === 'namespaces' && parts[1] !== undefined) {
    if (parts[2] === 'documents' && parts[3] !== undefined) {
      return { view: 'document', namespace: parts[1], documentId: parts[3], ...withCollection };
    }
    return { view: 'namespace', namespace: parts[1] };
  }
  if (parts[0] === 'search') {
    const namespace = query.get('namespace') ?? undefined;
    return { view: 'search', ...(namespace === undefined ? {} : { namespace }), ...withCollection };
  }
  if (parts[0] === 'chunk') return { view: 'chunk' };
  return { view: 'namespaces' };
}

/** The href of a route. */
export function href(route: Route): string {
  const query = (entries: Record<string, string | undefined>) => {
    const defined = Object.entries(entries).filter(
      (entry): entry is [string, string] => entry[1] !== undefined,
    );
    return defined.length === 0 ? '' : `?${new URLSearchParams(defined).toString()}`;
  };
  switch (route.view) {
    case 'namespaces':
      return '#/';
    case 'namespace':
      return `#/namespaces/${encodeURIComponent(route.namespace)}`;
    case 'search':
      return `#/search${query({ namespace: route.namespace, collection: route.collection })}`;
    case 'chunk':
      return '#/chunk';
    case 'document':
      return `#/namespaces/${encodeURIComponent(route.namespace)}/documents/${encodeURIComponent(route.documentId)}${query({ collection: route.collection })}`;
  }
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return route;
}
