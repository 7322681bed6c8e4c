// A small horizontal bar chart (SVG: no inline styles, so the CSP needs no 'unsafe-inline'),
// with the numbers as text too, so it reads the same without seeing it.
import { formatCount } from './format.js';

export function BarChart({
  label,
  values,
}: {
  readonly label: string;
  readonly values: Readonly<Record<string, number>>;
}) {
  const entries = Object.entries(values).sort(([, a], [, b]) => b - a);
  const largest = Math.max(1, ...entries.map(([, value]) => value));
  const rowHeight = 16;
  return (
    <figure class="bar-chart">
      <figcaption>{label}</figcaption>
      <svg
        width="220"
        height={entries.length * rowHeight}
        role="img"
        aria-label={`${label}: ${entries.map(([name, value]) => `${name} ${formatCount(value)}`).join(', ')}`}
      >
        {entries.map(([name, value], index) => (
          <g key={name} transform={`translate(0 ${index * rowHeight})`}>
            <rect
              class="bar"
              x="0"
              y="2"
              height={rowHeight - 4}
              width={Math.max(2, (value / largest) * 120)}
            />
            <text x="126" y={rowHeight - 4}>
              {name} {formatCount(value)}
            </text>
          </g>
        ))}
      </svg>
    </figure>
  );
}
