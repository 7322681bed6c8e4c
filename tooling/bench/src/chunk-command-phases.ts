// Where the time of `dje chunk file.json --json` goes: the command's steps (build the token counter,
// read, parse, chunk, JSON.stringify, write to stdout) timed one by one inside a fresh Node.js
// process on the built packages, with the V8 flag the bin sets for this command, and the same
// chunking again once the JIT has settled. The difference between the two chunking times is what
// a one-shot process pays for warming up, and the other steps are what no chunker speed-up removes.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot, type Table } from './report.js';
import { median } from './statistics.js';

const steps = ['counter', 'read', 'parse', 'chunk', 'stringify', 'write', 'warm'] as const;

/** The rate for `dje chunk file.json --json > /dev/null` once the start-up is subtracted. */
export const cliTargetMegabytesPerSecond = 15;
type Step = (typeof steps)[number];

// Module loading is left out: `dje --version` loads the same modules, and the target subtracts it.
const script = (options: {
  chunker: string;
  tokenizer: string;
  file: string;
  documentId: string;
}): string => `
  import { readFile } from 'node:fs/promises';
  const { chunkJson } = await import(${JSON.stringify(pathToFileURL(options.chunker).href)});
  const { tokenCounter } = await import(${JSON.stringify(pathToFileURL(options.tokenizer).href)});
  const times = {};
  let last = performance.now();
  const mark = (step) => { const now = performance.now(); times[step] = now - last; last = now; };
  tokenCounter('cl100k_base'); mark('counter');
  const text = await readFile(${JSON.stringify(options.file)}, 'utf8'); mark('read');
  const data = JSON.parse(text); mark('parse');
  const chunkOptions = { documentId: ${JSON.stringify(options.documentId)} };
  const result = chunkJson(data, chunkOptions); mark('chunk');
  const json = JSON.stringify(result, null, 2); mark('stringify');
  process.stdout.write(json + '\\n'); mark('write');
  for (let round = 0; round < 5; round += 1) chunkJson(data, chunkOptions);
  mark('settle'); chunkJson(data, chunkOptions); mark('warm');
  process.stderr.write('phases ' + JSON.stringify(times) + '\\n');`;

/** The table of step times (medians of `runs` fresh processes, stdout to /dev/null). */
export function commandPhases(options: {
  file: string;
  /** Compact-JSON megabytes of the file: sets the time the target allows. */
  megabytes: number;
  chunker: string;
  documentId: string;
  runs: number;
}): Table {
  const tokenizer = path.join(repoRoot, 'packages', 'tokenizer', 'dist', 'index.js');
  const source = script({ ...options, tokenizer });
  const samples = new Map<Step, number[]>(steps.map((step) => [step, []]));
  for (let run = 0; run < options.runs; run += 1) {
    const result = spawnSync(process.execPath, ['--no-turbo-inlining', '--input-type=module', '-e', source], {
      stdio: ['ignore', 'ignore', 'pipe'],
      encoding: 'utf8',
    });
    const reported = /phases (\{.*\})/.exec(result.stderr);
    if (result.status !== 0 || reported === null) throw new Error(`step timing failed: ${result.stderr}`);
    const times = JSON.parse(reported[1]!) as Record<Step, number>;
    for (const step of steps) samples.get(step)!.push(times[step]);
  }
  const at = (step: Step): number => median(samples.get(step)!);
  const total = steps.slice(0, -1).reduce((sum, step) => sum + at(step), 0);
  return {
    title: `Where \`dje chunk ${path.basename(options.file)} --json\`'s time goes: its steps timed inside a fresh process (built packages, \`--no-turbo-inlining\` as the bin sets), ms, medians of ${options.runs}`,
    headers: [
      'token counter',
      'read',
      'JSON.parse',
      'chunk (first call)',
      'JSON.stringify',
      'write',
      'sum',
      'chunk again, JIT settled',
      'first call − settled',
      'sum with the chunk settled',
      `what ${cliTargetMegabytesPerSecond} MB/s allows`,
    ],
    rows: [
      [
        at('counter'),
        at('read'),
        at('parse'),
        at('chunk'),
        at('stringify'),
        at('write'),
        total,
        at('warm'),
        at('chunk') - at('warm'),
        total - at('chunk') + at('warm'),
        (options.megabytes / cliTargetMegabytesPerSecond) * 1000,
      ],
    ],
  };
}
