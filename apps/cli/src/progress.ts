// Progress of long work on stderr: a bar with rate and ETA on a terminal, a line every few
// seconds otherwise (logs, CI), nothing with --quiet. stdout is never touched.
import cliProgress from 'cli-progress';
import type { Output } from './output.js';

export interface Progress {
  /**
   * `done` units so far; `total` when it becomes known or changes; `detail` (e.g. `12 chunks, 2
   * requests in flight`) is shown after the count and rate until the next update replaces it.
   */
  update(done: number, total?: number, detail?: string): void;
  /** Ends the bar (or prints the last line). */
  finish(): void;
}

export interface ProgressOptions {
  readonly output: Output;
  /** What is being done, e.g. `ingest`. */
  readonly label: string;
  /** What is counted, e.g. `files`. */
  readonly unit: string;
  readonly total?: number;
  /** No total will ever be known (stdin): show count and rate, never a bar or an ETA. */
  readonly indeterminate?: boolean;
  /** Milliseconds between lines when stderr is not a terminal. */
  readonly lineIntervalMs?: number;
}

const silent: Progress = { update() {}, finish() {} };

function formatDuration(milliseconds: number): string {
  const seconds = Math.round(milliseconds / 1000);
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

function formatRate(rate: number): string {
  return rate >= 100 ? rate.toFixed(0) : rate.toFixed(1);
}

export function createProgress(options: ProgressOptions): Progress {
  const { output, label, unit } = options;
  if (output.quiet) return silent;
  const started = Date.now();
  let total = options.total;
  let done = 0;
  const rate = () => done / Math.max((Date.now() - started) / 1000, 0.001);

  if (output.stderrInteractive) {
    const bar = new cliProgress.SingleBar(
      {
        stream: output.io.stderr as NodeJS.WritableStream,
        format: options.indeterminate
          ? `${label} {value} ${unit} | {rate} ${unit}/s | {duration_formatted}{detail}`
          : `${label} {bar} {percentage}% | {value}/{total} ${unit} | {rate} ${unit}/s | ETA {eta_formatted}{detail}`,
        hideCursor: true,
        clearOnComplete: false,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    // Until a total is known (an estimate arrives with the first batch) the bar stays empty.
    bar.start(total ?? 1, 0, { rate: '0', detail: '' });
    return {
      update(value, newTotal, detail) {
        done = value;
        if (newTotal !== undefined) total = newTotal;
        if (total !== undefined) bar.setTotal(total);
        else bar.setTotal(Math.max(done, 1));
        bar.update(done, { rate: formatRate(rate()), detail: detail ? ` | ${detail}` : '' });
      },
      finish() {
        bar.stop();
      },
    };
  }

  const interval = options.lineIntervalMs ?? 2000;
  let lastLine = 0;
  let lastDetail: string | undefined;
  const describe = () => {
    const elapsed = Date.now() - started;
    const count = total === undefined ? `${done} ${unit}` : `${done}/${total} ${unit}`;
    const percent = total === undefined || total === 0 ? '' : ` (${Math.floor((done / total) * 100)}%)`;
    const eta =
      total === undefined || done === 0 || done >= total
        ? ''
        : `, ETA ${formatDuration(((total - done) / done) * elapsed)}`;
    const detail = lastDetail ? `; ${lastDetail}` : '';
    return `${label}: ${count}${percent}, ${formatRate(rate())} ${unit}/s${eta}${detail}`;
  };
  output.note(`${label}: starting${total === undefined ? '' : `, ${total} ${unit}`}`);
  return {
    update(value, newTotal, detail) {
      done = value;
      if (newTotal !== undefined) total = newTotal;
      if (detail !== undefined) lastDetail = detail;
      const now = Date.now();
      if (now - lastLine >= interval) {
        lastLine = now;
        output.note(describe());
      }
    },
    finish() {
      const detail = lastDetail ? `; ${lastDetail}` : '';
      output.note(`${label}: done, ${done} ${unit} in ${formatDuration(Date.now() - started)}${detail}`);
    },
  };
}
