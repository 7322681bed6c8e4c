import { describe, expect, it } from 'vitest';
import { barChart, escapeXml, lineChart } from './svg.js';

function attributes(svg: string, element: string, names: readonly string[]): number[][] {
  const pattern = new RegExp(`<${element} ([^>]*)/?>`, 'g');
  return [...svg.matchAll(pattern)].map((match) =>
    names.map((name) => Number(new RegExp(`\\b${name}="([^"]*)"`).exec(match[1] ?? '')?.[1])),
  );
}

describe('escapeXml', () => {
  it('escapes markup characters', () => {
    expect(escapeXml(`a<b & "c" 'd'>`)).toBe('a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;');
  });
});

describe('lineChart', () => {
  const svg = lineChart({
    title: 'Recall <vs> latency',
    xLabel: 'p50 latency (ms)',
    yLabel: 'recall@10',
    series: [
      {
        name: 'unfiltered',
        points: [
          { x: 1, y: 0.9, label: 'ef 10' },
          { x: 2, y: 0.95 },
          { x: 4, y: 0.99 },
        ],
      },
      {
        name: 'filtered',
        points: [
          { x: 3, y: 0.5 },
          { x: 6, y: 0.97 },
        ],
      },
    ],
  });

  it('is a standalone SVG document with an escaped title', () => {
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg).toContain('Recall &lt;vs&gt; latency');
    expect(svg).not.toContain('<vs>');
  });

  it('draws one point per datum, one line per series, and a legend entry per series', () => {
    expect(attributes(svg, 'circle', ['cx'])).toHaveLength(5);
    expect(svg.match(/<polyline /g)).toHaveLength(2);
    expect(svg).toContain('>unfiltered</text>');
    expect(svg).toContain('>filtered</text>');
    expect(svg).toContain('>ef 10</text>');
  });

  it('labels ticks with the decimals the step needs', () => {
    expect(svg).toContain('>0.6</text>');
    expect(svg).not.toContain('>0.600</text>');
  });

  it('places points inside the plot, larger values further right and higher up', () => {
    const [plot] = attributes(svg.replace(/<rect (?![^>]*fill="none")[^>]*>/g, ''), 'rect', [
      'x',
      'y',
      'width',
      'height',
    ]);
    const [left, top, width, height] = plot!;
    const circles = attributes(svg, 'circle', ['cx', 'cy']);
    for (const [cx, cy] of circles) {
      expect(cx).toBeGreaterThanOrEqual(left!);
      expect(cx).toBeLessThanOrEqual(left! + width!);
      expect(cy).toBeGreaterThanOrEqual(top!);
      expect(cy).toBeLessThanOrEqual(top! + height!);
    }
    const [first, second, third] = circles;
    expect(first![0]).toBeLessThan(second![0]!);
    expect(second![0]).toBeLessThan(third![0]!);
    // SVG y grows downwards: higher recall is a smaller y.
    expect(first![1]).toBeGreaterThan(third![1]!);
  });

  it('is deterministic and skips non-finite points', () => {
    const input = {
      title: 't',
      xLabel: 'x',
      yLabel: 'y',
      series: [
        {
          name: 's',
          points: [
            { x: 1, y: 1 },
            { x: Number.NaN, y: 2 },
          ],
        },
      ],
    };
    expect(lineChart(input)).toBe(lineChart(input));
    expect(attributes(lineChart(input), 'circle', ['cx'])).toHaveLength(1);
    expect(() => lineChart({ ...input, series: [] })).toThrow(RangeError);
  });
});

describe('barChart', () => {
  const svg = barChart({
    title: 'Queries per second',
    valueLabel: 'queries/s',
    categories: ['ours', 'raw SQL', 'LangChain'],
    series: [
      { name: 'concurrency 1', values: [100, 200, 50] },
      { name: 'concurrency 8', values: [300, 400, Number.NaN] },
    ],
  });

  it('draws a bar per finite value with widths proportional to the values', () => {
    const bars = attributes(svg, 'rect', ['x', 'width', 'height']).filter(([, , height]) => height === 15);
    expect(bars).toHaveLength(5);
    // Category by category, each with its series in order (LangChain at concurrency 8 is n/a).
    const [ours1, ours8, raw1, raw8, langchain1] = bars.map(([, width]) => width!);
    expect(raw1! / ours1!).toBeCloseTo(2, 1);
    expect(ours1! / langchain1!).toBeCloseTo(2, 1);
    expect(raw8! / ours8!).toBeCloseTo(4 / 3, 1);
    expect(svg).toContain('>n/a</text>');
  });

  it('labels categories, values and (for several series) a legend', () => {
    for (const label of ['ours', 'raw SQL', 'LangChain', '200', 'concurrency 8', 'queries/s'])
      expect(svg).toContain(`>${label}</text>`);
    const single = barChart({
      title: 't',
      valueLabel: 'rows/s',
      categories: ['a'],
      series: [{ name: 'only', values: [5] }],
    });
    expect(single).not.toContain('>only</text>');
  });

  it('rejects a series whose length does not match the categories', () => {
    expect(() =>
      barChart({ title: 't', valueLabel: 'v', categories: ['a', 'b'], series: [{ name: 's', values: [1] }] }),
    ).toThrow(RangeError);
  });
});
