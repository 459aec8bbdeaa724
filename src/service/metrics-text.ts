// Reading the Prometheus text format back: what a monitoring system scrapes from /metrics, as data.

export interface MetricSample {
  /** e.g. `lab_service_reads_total`, `lab_service_request_duration_seconds_bucket`. */
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses exposition text (`name{label="v",...} value` lines; `#` lines are help and type). */
export function parsePrometheusText(text: string): MetricSample[] {
  const samples: MetricSample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const [, key, raw] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g))
      if (key !== undefined && raw !== undefined) labels[key] = raw.replace(/\\(.)/g, '$1');
    const value = match[3] === '+Inf' ? Infinity : Number(match[3]);
    samples.push({ name: match[1]!, labels, value });
  }
  return samples;
}

/** The sum of every sample named `name` whose labels include `where`. */
export function metricSum(samples: readonly MetricSample[], name: string, where: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(where).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}
