// What the server benchmarks share: options from the command line, percentiles, a
// process's memory and CPU time, and the servers' counters.

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

/** CPU time (user + system) a process has used so far, in seconds (Linux `/proc`). */
export function cpuSeconds(pid) {
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // utime and stime are fields 14 and 15 of the line, in clock ticks (100 per second on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * Sum over the instances of the counters named in `names` (every label set added up), or
 * `null` when a server has no `/metrics` (a build older than the metrics).
 */
export async function counters(servers, names) {
  const sums = Object.fromEntries(names.map((n) => [n, 0]));
  for (const server of servers) {
    const response = await fetch(`${server.url}/metrics`);
    const text = await response.text();
    if (!response.ok) return null;
    for (const line of text.split('\n')) {
      const match = line.match(/^([a-z_]+)(\{[^}]*\})? ([0-9.e+]+)$/);
      if (match && match[1] in sums) sums[match[1]] += Number(match[3]);
    }
  }
  return sums;
}
