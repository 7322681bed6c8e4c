// Test support (not built): the machine's Chromium for the console's end-to-end tests. Debian's
// `chromium` package (.ci/run installs it); CHROMIUM_PATH points elsewhere.
import { existsSync } from 'node:fs';

const candidates = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** The Chromium executable, or undefined when none is installed. */
export function findChromium(): string | undefined {
  const configured = process.env.CHROMIUM_PATH;
  if (configured !== undefined && configured !== '') return existsSync(configured) ? configured : undefined;
  return candidates.find((candidate) => existsSync(candidate));
}
