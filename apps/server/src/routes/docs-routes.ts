// GET /openapi.json (OpenAPI 3.1, generated from the route schemas) and GET /docs, a
// self-contained HTML page rendered from that document: no CDN scripts, so it works offline.
import { createRequire } from 'node:module';
import type { RouteContext } from '../route-context.js';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

interface Operation {
  readonly summary?: string;
  readonly description?: string;
  readonly tags?: readonly string[];
  readonly security?: readonly unknown[];
  readonly parameters?: readonly {
    readonly name: string;
    readonly in: string;
    readonly required?: boolean;
  }[];
  readonly requestBody?: { readonly content?: Record<string, unknown> };
  readonly responses?: Record<string, { readonly description?: string }>;
}

interface Document {
  readonly info: { readonly title: string; readonly version: string; readonly description?: string };
  readonly paths?: Record<string, Record<string, Operation>>;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

export function renderDocsPage(document: Document): string {
  const rows: string[] = [];
  for (const [path, operations] of Object.entries(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(operations)) {
      const parameters = (operation.parameters ?? [])
        .map((parameter) => `${parameter.name} (${parameter.in}${parameter.required ? ', required' : ''})`)
        .join(', ');
      const body = Object.keys(operation.requestBody?.content ?? {}).join(', ');
      const responses = Object.entries(operation.responses ?? {})
        .map(
          ([status, response]) =>
            `<li><code>${escapeHtml(status)}</code> ${escapeHtml(response.description ?? '')}</li>`,
        )
        .join('');
      rows.push(`<section>
<h2><code>${escapeHtml(method.toUpperCase())} ${escapeHtml(path)}</code></h2>
<p>${escapeHtml(operation.summary ?? '')}${operation.security?.length ? ' <em>(Authorization: Bearer key)</em>' : ''}</p>
${operation.description ? `<p>${escapeHtml(operation.description)}</p>` : ''}
${parameters ? `<p>Parameters: ${escapeHtml(parameters)}</p>` : ''}
${body ? `<p>Body: <code>${escapeHtml(body)}</code></p>` : ''}
<ul>${responses}</ul>
</section>`);
    }
  }
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(document.info.title)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}h2{font-size:1rem;margin:1.5rem 0 .25rem}section{border-top:1px solid #ddd}</style>
</head>
<body>
<h1>${escapeHtml(document.info.title)} <small>${escapeHtml(document.info.version)}</small></h1>
<p>${escapeHtml(document.info.description ?? '')}</p>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). Errors are <code>{ "error": { "code", "message", "details" } }</code>.</p>
${rows.join('\n')}
</body>
</html>`;
}

export function registerDocsRoutes({ app }: RouteContext): void {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer' });
  let cached: Document | undefined;
  // Generated on first use, after every route has registered its schemas.
  const document = (): Document => {
    cached ??= app.getOpenAPI31Document({
      openapi: '3.1.0',
      info: {
        title: 'Dynamic JSON Embeddings API',
        version,
        description:
          'Ingest JSON documents, search them by meaning, manage namespaces and collections. Send "Authorization: Bearer <key>" when the server has API keys.',
        license: { name: 'MIT', url: 'https://opensource.org/license/mit' },
      },
      // Relative: the document is served by the server it describes, wherever that listens.
      servers: [{ url: '/', description: 'The server that serves this document' }],
    }) as unknown as Document;
    return cached;
  };
  app.get('/openapi.json', (c) => c.json(document()));
  app.get('/docs', (c) => c.html(renderDocsPage(document())));
}
