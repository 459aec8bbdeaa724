// Performance charts: each builder renders to a real SVG showing its titles, series and figures.

import { describe, expect, it } from 'vitest';
import { LabError } from '../../src/errors';
import {
  alertChart,
  bytesPerRecordChart,
  codecChart,
  latencyOverTimeChart,
  renderChart,
  serverDashboardChart,
  throughputChart,
  type ServerPoint,
} from '../../src/show';

function svgTexts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
}

const samples: ServerPoint[] = Array.from({ length: 8 }, (_, i) => ({
  at: i * 0.25,
  pingMs: 0.1 + (i % 3) * 0.05,
  opsPerSecond: 10_000 + i * 500,
  usedMemoryBytes: 1_000_000 + i * 50_000,
  hits: i * 300,
  misses: i * 100,
  expiredKeys: i * 10,
  evictedKeys: i * 5,
  connectedClients: 3,
  ...(i > 0 ? { intervalHitRatio: 0.75 } : {}),
}));

describe('performance charts', () => {
  it('bytes per record: one bar per representation, labelled with the figure and the encoding', async () => {
    const svg = await renderChart(
      bytesPerRecordChart([
        { representation: 'JSON string per airport', bytesPerRecord: 184, encodings: ['raw'] },
        { representation: 'compact HASH per airport', bytesPerRecord: 160, encodings: ['listpack'] },
      ]),
    );
    const texts = svgTexts(svg);
    expect(texts).toContain('Memory per record');
    expect(texts).toContain('184 B · raw');
    expect(texts).toContain('160 B · listpack');
  });

  it('throughput: one line per source over a log batch axis, points labelled in thousands', async () => {
    const spec = throughputChart([
      { batchSize: 1, opsPerSecond: 15_000, source: 'node (iovalkey)' },
      { batchSize: 100, opsPerSecond: 400_000, source: 'node (iovalkey)' },
      { batchSize: 100, opsPerSecond: 900_000, source: 'valkey-benchmark' },
    ]);
    expect(JSON.stringify(spec)).not.toContain('"bar"');
    const texts = svgTexts(await renderChart(spec));
    expect(texts).toEqual(expect.arrayContaining(['node (iovalkey)', 'valkey-benchmark', '15k', '400k', '900k']));
    expect(() => throughputChart([{ batchSize: 0, opsPerSecond: 1, source: 'x' }])).toThrow(LabError);
  });

  it('codecs: four panels, a bar per codec and value', async () => {
    const rows = ['json', 'msgpack', 'json+gzip'].map((codec, i) => ({
      codec,
      value: 'airports in Germany',
      bytes: 19_000 - i * 5_000,
      encodeMs: 0.05 + i * 0.02,
      decodeMs: 0.04 + i * 0.03,
      hitP50Ms: 0.2 + i * 0.05,
    }));
    const texts = svgTexts(await renderChart(codecChart(rows)));
    expect(texts).toEqual(
      expect.arrayContaining(['value bytes', 'decode (ms)', 'whole hit p50 (ms)', 'msgpack', 'json+gzip']),
    );
  });

  it('server dashboard and latency over time render every panel', async () => {
    const dashboard = svgTexts(await renderChart(serverDashboardChart(samples)));
    expect(dashboard).toEqual(
      expect.arrayContaining(['used memory (MB)', 'keys evicted (cumulative)', 'hit % since previous sample']),
    );
    expect(svgTexts(await renderChart(latencyOverTimeChart(samples)))).toContain('Latency over time');
  });

  it('alert: the readings over the threshold line, coloured by what the alert said', async () => {
    const points = [0.5, 0.7, 0.85].map((ratio, i) => ({
      keys: i * 100,
      ratio,
      status: ratio > 0.8 ? 'ALERT' : 'OK',
      threshold: 0.8,
    }));
    const texts = svgTexts(await renderChart(alertChart(points)));
    expect(texts).toEqual(expect.arrayContaining(['Memory alert while the server fills', 'ALERT', 'OK']));
  });
});
