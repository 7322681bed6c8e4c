// Number formatting shared by the views.
const counts = new Intl.NumberFormat('en');

export function formatCount(value: number): string {
  return counts.format(value);
}

export function formatScore(value: number): string {
  return value.toFixed(3);
}
