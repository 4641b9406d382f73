// What the server benchmarks share: options from the command line, percentiles, and a
// process's memory.

import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);

/** The number given as `--name N` on the command line, else `fallback`. */
export function option(name, fallback) {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? Number(args[i + 1]) : fallback;
}

/** The `p`th percentile (0..=100) of ascending `sorted`. */
export const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/**
 * Resident and peak resident memory of a process (Linux `/proc`): `{ rssKiB, peakKiB, text }`,
 * `text` in MiB for printing.
 */
export function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key) => Number(status.match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm'))?.[1] ?? NaN);
  const [rssKiB, peakKiB] = [kib('VmRSS'), kib('VmHWM')];
  return { rssKiB, peakKiB, text: `${(rssKiB / 1024).toFixed(1)} MiB (peak ${(peakKiB / 1024).toFixed(1)} MiB)` };
}
