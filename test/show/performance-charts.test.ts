// Performance charts: each builder renders to a real SVG showing its titles, series and figures.

import { describe, expect, it } from 'vitest';
import { alertChart, bytesPerRecordChart, codecChart, renderChart } from '../../src/show';

function svgTexts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
}

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
