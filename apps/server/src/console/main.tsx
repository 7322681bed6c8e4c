// Entry point of the console bundle (esbuild bundles it with Preact into dist/console/console.js).
import { render } from 'preact';
import { App } from './app.js';

const root = document.getElementById('app');
if (root !== null) render(<App />, root);
