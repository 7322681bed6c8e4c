// Charts for docs/benchmarks.md as plain SVG strings: no charting dependency, deterministic output
// (same numbers, same bytes), and files that render on GitHub and in any browser.
import { formatNumber } from '../report.js';
import { niceTicks, type Ticks } from './ticks.js';

/** Okabe–Ito colours: distinguishable with the common kinds of colour blindness. */
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#000000'];
const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"';
/** Rough width of a character at font-size 12, for sizing margins to labels. */
const CHARACTER_WIDTH = 7;

export function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

function colorOf(index: number): string {
  return PALETTE[index % PALETTE.length]!;
}

/** Two decimals at most: enough for a pixel, and keeps files small and diffs stable. */
function coordinate(value: number): string {
  return String(Math.round(value * 100) / 100);
}

function text(options: {
  readonly x: number;
  readonly y: number;
  readonly content: string;
  readonly anchor?: 'start' | 'middle' | 'end';
  readonly size?: number;
  readonly weight?: 'bold';
  readonly rotate?: number;
}): string {
  const { x, y, content, anchor = 'start', size = 12, weight, rotate } = options;
  const transform =
    rotate === undefined ? '' : ` transform="rotate(${rotate} ${coordinate(x)} ${coordinate(y)})"`;
  const bold = weight === undefined ? '' : ` font-weight="${weight}"`;
  return `<text x="${coordinate(x)}" y="${coordinate(y)}" text-anchor="${anchor}" font-size="${size}"${bold}${transform}>${escapeXml(content)}</text>`;
}

function document(options: {
  readonly width: number;
  readonly height: number;
  readonly body: string[];
}): string {
  const { width, height, body } = options;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ${FONT}>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

interface Frame {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

/** A linear scale from data values onto pixels. */
function scale(ticks: Ticks, from: number, to: number): (value: number) => number {
  const span = ticks.max - ticks.min;
  return (value) => from + ((value - ticks.min) / span) * (to - from);
}

/** Legend entries laid out left to right from `x`, wrapping at `maxX`; returns the SVG and its height. */
function legend(options: {
  readonly names: readonly string[];
  readonly x: number;
  readonly y: number;
  readonly maxX: number;
}): { readonly elements: string[]; readonly height: number } {
  const elements: string[] = [];
  let x = options.x;
  let y = options.y;
  options.names.forEach((name, index) => {
    const entryWidth = 18 + name.length * CHARACTER_WIDTH + 24;
    if (x > options.x && x + entryWidth > options.maxX) {
      x = options.x;
      y += 20;
    }
    elements.push(
      `<rect x="${coordinate(x)}" y="${coordinate(y - 10)}" width="12" height="12" fill="${colorOf(index)}"/>`,
      text({ x: x + 18, y, content: name }),
    );
    x += entryWidth;
  });
  return { elements, height: options.names.length === 0 ? 0 : y - options.y + 20 };
}

/** Tick labels with as many decimals as the step needs (0.85 and 0.9, not 0.850 and 0.900). */
function tickLabel(value: number, ticks: Ticks): string {
  if (Math.abs(value) >= 1000) return formatNumber(value);
  const step = (ticks.values[1] ?? ticks.max) - (ticks.values[0] ?? ticks.min);
  let decimals = 0;
  while (
    decimals < 6 &&
    step > 0 &&
    Math.abs(Math.round(step * 10 ** decimals) - step * 10 ** decimals) > 1e-9
  )
    decimals += 1;
  return value.toFixed(decimals);
}

export interface ChartPoint {
  readonly x: number;
  readonly y: number;
  /** Written beside the point, e.g. the parameter value that produced it. */
  readonly label?: string;
}

export interface ChartSeries {
  readonly name: string;
  /** Joined by a line in the given order (e.g. increasing ef_search). */
  readonly points: readonly ChartPoint[];
}

export interface LineChartOptions {
  readonly title: string;
  /** A smaller line under the title, e.g. what the point labels mean. */
  readonly subtitle?: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly ChartSeries[];
  readonly width?: number;
  /** Height of the plot area; the legend below it adds to the image height. */
  readonly plotHeight?: number;
}

/** A scatter plot whose points are joined per series, e.g. recall (y) against latency (x). */
export function lineChart(options: LineChartOptions): string {
  const { title, subtitle, xLabel, yLabel, series, width = 900, plotHeight = 360 } = options;
  const points = series
    .flatMap((entry) => entry.points)
    .filter((point) => Number.isFinite(point.x + point.y));
  if (points.length === 0) throw new RangeError('a line chart needs at least one finite point');
  const top = subtitle === undefined ? 44 : 62;
  const frame: Frame = { left: 70, top, right: width - 30, bottom: top + plotHeight };
  const xTicks = niceTicks(
    Math.min(...points.map((point) => point.x)),
    Math.max(...points.map((point) => point.x)),
  );
  const yTicks = niceTicks(
    Math.min(...points.map((point) => point.y)),
    Math.max(...points.map((point) => point.y)),
  );
  const toX = scale(xTicks, frame.left, frame.right);
  const toY = scale(yTicks, frame.bottom, frame.top);

  const body: string[] = [
    text({ x: width / 2, y: 24, content: title, anchor: 'middle', size: 15, weight: 'bold' }),
  ];
  if (subtitle !== undefined)
    body.push(text({ x: width / 2, y: 44, content: subtitle, anchor: 'middle', size: 11 }));
  for (const value of xTicks.values) {
    const x = toX(value);
    body.push(
      `<line x1="${coordinate(x)}" y1="${frame.top}" x2="${coordinate(x)}" y2="${frame.bottom}" stroke="#e5e5e5"/>`,
      text({ x, y: frame.bottom + 18, content: tickLabel(value, xTicks), anchor: 'middle' }),
    );
  }
  for (const value of yTicks.values) {
    const y = toY(value);
    body.push(
      `<line x1="${frame.left}" y1="${coordinate(y)}" x2="${frame.right}" y2="${coordinate(y)}" stroke="#e5e5e5"/>`,
      text({ x: frame.left - 8, y: y + 4, content: tickLabel(value, yTicks), anchor: 'end' }),
    );
  }
  body.push(
    `<rect x="${frame.left}" y="${frame.top}" width="${frame.right - frame.left}" height="${frame.bottom - frame.top}" fill="none" stroke="#333333"/>`,
    text({ x: (frame.left + frame.right) / 2, y: frame.bottom + 40, content: xLabel, anchor: 'middle' }),
    text({ x: 18, y: (frame.top + frame.bottom) / 2, content: yLabel, anchor: 'middle', rotate: -90 }),
  );
  series.forEach((entry, index) => {
    const color = colorOf(index);
    const finite = entry.points.filter((point) => Number.isFinite(point.x + point.y));
    if (finite.length > 1) {
      const path = finite.map((point) => `${coordinate(toX(point.x))},${coordinate(toY(point.y))}`).join(' ');
      body.push(`<polyline points="${path}" fill="none" stroke="${color}" stroke-width="2"/>`);
    }
    for (const point of finite) {
      const x = toX(point.x);
      const y = toY(point.y);
      body.push(`<circle cx="${coordinate(x)}" cy="${coordinate(y)}" r="4" fill="${color}"/>`);
      if (point.label !== undefined) body.push(text({ x: x + 6, y: y - 6, content: point.label, size: 10 }));
    }
  });
  const key = legend({
    names: series.map((entry) => entry.name),
    x: frame.left,
    y: frame.bottom + 70,
    maxX: frame.right,
  });
  body.push(...key.elements);
  return document({ width, height: frame.bottom + 70 + key.height, body });
}

export interface BarSeries {
  readonly name: string;
  /** One value per category, in the order of `categories`. */
  readonly values: readonly number[];
}

export interface BarChartOptions {
  readonly title: string;
  /** What the bars measure, with its unit, e.g. `rows/s`. */
  readonly valueLabel: string;
  /** One group of bars per category (e.g. per system), labelled on the left. */
  readonly categories: readonly string[];
  /** One bar per category in each series (e.g. concurrency 1 and 8); a single series is fine. */
  readonly series: readonly BarSeries[];
  readonly width?: number;
}

/** Horizontal bars grouped by category, each labelled with its value; long names fit on the left. */
export function barChart(options: BarChartOptions): string {
  const { title, valueLabel, categories, series, width = 900 } = options;
  if (categories.length === 0 || series.length === 0)
    throw new RangeError('a bar chart needs categories and series');
  for (const entry of series) {
    if (entry.values.length !== categories.length)
      throw new RangeError(
        `series "${entry.name}" has ${entry.values.length} values for ${categories.length} categories`,
      );
  }
  const barHeight = 18;
  const groupHeight = series.length * barHeight + 14;
  const longestCategory = Math.max(...categories.map((category) => category.length));
  const top = 44;
  const frame: Frame = {
    left: Math.max(90, longestCategory * CHARACTER_WIDTH + 20),
    top,
    // Room on the right for the value written after the longest bar.
    right: width - 70,
    bottom: top + categories.length * groupHeight,
  };
  const finiteValues = series.flatMap((entry) => entry.values).filter(Number.isFinite);
  const ticks = niceTicks(0, Math.max(0, ...finiteValues));
  const toX = scale(ticks, frame.left, frame.right);

  const body: string[] = [
    text({ x: width / 2, y: 24, content: title, anchor: 'middle', size: 15, weight: 'bold' }),
  ];
  for (const value of ticks.values) {
    const x = toX(value);
    body.push(
      `<line x1="${coordinate(x)}" y1="${frame.top}" x2="${coordinate(x)}" y2="${frame.bottom}" stroke="#e5e5e5"/>`,
      text({ x, y: frame.bottom + 18, content: tickLabel(value, ticks), anchor: 'middle' }),
    );
  }
  categories.forEach((category, categoryIndex) => {
    const groupTop = frame.top + categoryIndex * groupHeight + 7;
    body.push(
      text({
        x: frame.left - 8,
        y: groupTop + (series.length * barHeight) / 2 + 4,
        content: category,
        anchor: 'end',
      }),
    );
    series.forEach((entry, seriesIndex) => {
      const value = entry.values[categoryIndex] ?? Number.NaN;
      const y = groupTop + seriesIndex * barHeight;
      if (!Number.isFinite(value)) {
        body.push(text({ x: frame.left + 4, y: y + barHeight - 5, content: 'n/a', size: 11 }));
        return;
      }
      const barWidth = toX(value) - frame.left;
      body.push(
        `<rect x="${frame.left}" y="${coordinate(y)}" width="${coordinate(barWidth)}" height="${barHeight - 3}" fill="${colorOf(seriesIndex)}"/>`,
        text({ x: frame.left + barWidth + 4, y: y + barHeight - 5, content: formatNumber(value), size: 11 }),
      );
    });
  });
  body.push(
    `<line x1="${frame.left}" y1="${frame.top}" x2="${frame.left}" y2="${frame.bottom}" stroke="#333333"/>`,
    text({ x: (frame.left + frame.right) / 2, y: frame.bottom + 40, content: valueLabel, anchor: 'middle' }),
  );
  // A single series needs no key: the title and axis say what the bars are.
  const key =
    series.length > 1
      ? legend({
          names: series.map((entry) => entry.name),
          x: frame.left,
          y: frame.bottom + 70,
          maxX: frame.right,
        })
      : { elements: [], height: 0 };
  body.push(...key.elements);
  return document({ width, height: frame.bottom + (series.length > 1 ? 70 : 56) + key.height, body });
}
