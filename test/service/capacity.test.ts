// The capacity arithmetic, redone by hand, and the metrics text read back as data.

import { describe, expect, it } from 'vitest';
import { metricSum, parsePrometheusText, planCapacity } from '../../src/service';

describe('planCapacity', () => {
  it('counts the live entries of each kind as reads/s × new-key share × TTL, capped by how many keys exist', () => {
    const plan = planCapacity(
      [
        { kind: 'airport', readsPerSecond: 50, newKeyShare: 1, ttlSeconds: 3600, universe: 7000, bytesPerEntry: 250 },
        { kind: 'search', readsPerSecond: 200, newKeyShare: 0.2, ttlSeconds: 300, universe: 1e9, bytesPerEntry: 1600 },
      ],
      0.5,
    );
    expect(plan.entries).toBe(7000 + 12000);
    expect(plan.dataBytes).toBe(7000 * 250 + 12000 * 1600);
    const mb = 1024 * 1024;
    expect(plan.maxmemoryBytes).toBe(Math.ceil((1.5 * plan.dataBytes) / mb) * mb);
    expect(plan.maxmemory).toBe(`${plan.maxmemoryBytes / mb}mb`);
    expect(plan.lines.find((l) => l.kind === 'airport' && l.step === 'live entries')!.arithmetic).toMatch(
      /^min\(7,000, /,
    );
  });
});

describe('the Prometheus text format', () => {
  it('reads samples with labels, escaped quotes and +Inf, and sums them by label', () => {
    const samples = parsePrometheusText(
      [
        '# HELP lab_service_reads_total Reads',
        '# TYPE lab_service_reads_total counter',
        'lab_service_reads_total{route="airport",outcome="hit"} 7',
        'lab_service_reads_total{route="flights",outcome="hit"} 3',
        'lab_service_reads_total{route="flights",outcome="miss"} 1',
        'odd_metric{note="say \\"hi\\""} 2',
        'lab_service_request_duration_seconds_bucket{le="+Inf",route="airport"} 11',
        'lab_service_db_queries_total 4',
      ].join('\n'),
    );
    expect(metricSum(samples, 'lab_service_reads_total', { outcome: 'hit' })).toBe(10);
    expect(metricSum(samples, 'lab_service_reads_total')).toBe(11);
    expect(metricSum(samples, 'lab_service_db_queries_total')).toBe(4);
    expect(samples.find((s) => s.name === 'odd_metric')!.labels.note).toBe('say "hi"');
    expect(samples.find((s) => s.name.endsWith('_bucket'))!.labels.le).toBe('+Inf');
  });
});
