/**
 * Numbers of a benchmark written for people: the panel's table, the Markdown exports, the report's runs
 * table. JSON keeps the full precision; these are for reading only.
 */

/** Three significant digits, no exponent, no trailing `.000` noise: `1.00`, `12.3`, `456`, `0.0123`. */
function significant(value: number): string {
  if (value === 0 || !Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return Math.round(value).toString();
  return value.toPrecision(3);
}

/** A duration in its unit: `1.00 s`, `12.3 ms`, `45.0 µs`, `123 s`. */
export function formatSeconds(seconds: number): string {
  const magnitude = Math.abs(seconds);
  if (magnitude === 0) return '0 s';
  if (magnitude < 1e-3) return `${significant(seconds * 1e6)} µs`;
  if (magnitude < 1) return `${significant(seconds * 1e3)} ms`;
  return `${significant(seconds)} s`;
}

/** A speedup over sequential: `1.93×`; two decimals, as people compare ratios. */
export function formatSpeedup(speedup: number | null): string {
  return speedup === null ? '' : `${speedup.toFixed(2)}×`;
}

/** A share of 0..1 as a whole percentage: `93 %`. */
export function formatPercent(share: number | null | undefined): string {
  return share === null || share === undefined ? '' : `${Math.round(share * 100)} %`;
}

/** Cores' worth of load: `1.7 cores`, `0.4 cores`. */
export function formatCores(cores: number | null | undefined): string {
  return cores === null || cores === undefined ? '' : `${cores.toFixed(1)} cores`;
}
