import os from "node:os";
import { performance } from "node:perf_hooks";

/** Linear interpolation between the two nearest samples, so small sample sets still give distinct p95/p99. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  const a = sorted[low] ?? Number.NaN;
  const b = sorted[high] ?? Number.NaN;
  return a + (b - a) * (rank - low);
}

export type Summary = {
  count: number;
  totalMs: number;
  meanMs: number;
  p50: number;
  p95: number;
  p99: number;
  maxMs: number;
};

export function summarise(samplesMs: readonly number[]): Summary {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const totalMs = sorted.reduce((sum, value) => sum + value, 0);
  return {
    count: sorted.length,
    totalMs,
    meanMs: sorted.length ? totalMs / sorted.length : Number.NaN,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    maxMs: sorted.at(-1) ?? Number.NaN,
  };
}

export async function timed<T>(samples: number[], run: () => Promise<T> | T): Promise<T> {
  const started = performance.now();
  const result = await run();
  samples.push(performance.now() - started);
  return result;
}

export function fixed(value: number, digits = 2): string {
  if (!Number.isFinite(value)) return "–";
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function whole(value: number): string {
  if (!Number.isFinite(value)) return "–";
  return Math.round(value).toLocaleString("en-US");
}

type Cell = string | number;

/** Text left, numbers right: the columns stay readable when pasted into an issue or a chat. */
export function printTable(title: string, headers: string[], rows: Cell[][], notes: string[] = []) {
  const text = rows.map((row) => row.map(String));
  const numeric = headers.map(
    (_, column) => column > 0 && text.every((row) => /^[\d.,–\s%+-]*$/.test(row[column] ?? "")),
  );
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...text.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (numeric[column] ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0)))
      .join("  ")
      .trimEnd();

  console.log(`\n${title}`);
  console.log(line(headers));
  console.log(widths.map((width) => "─".repeat(width)).join("  "));
  for (const row of text) console.log(line(row));
  for (const note of notes) console.log(`  ${note}`);
}

export function printMachine(extra: [string, string][] = []) {
  const cpus = os.cpus();
  const rows: [string, string][] = [
    [
      "CPU",
      `${cpus[0]?.model.trim() ?? "unknown"} (${cpus.length} logical cores, ${os.availableParallelism()} available)`,
    ],
    ["Memory", `${fixed(os.totalmem() / 2 ** 30, 1)} GiB total, ${fixed(os.freemem() / 2 ** 30, 1)} GiB free`],
    ["Node", `${process.version} on ${os.platform()} ${os.release()} (${os.arch()})`],
    [
      "Load avg",
      os
        .loadavg()
        .map((value) => fixed(value, 2))
        .join(" / "),
    ],
    ...extra,
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  console.log("Rettidig benchmarks");
  for (const [label, value] of rows) console.log(`  ${label.padEnd(width)}  ${value}`);
}
