// The compose file's cluster profile: three Valkey 8.0 primaries on loopback ports, announced as the host reaches them.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig, projectRoot } from '../src/config';

// No Docker engine runs where the tests run, so the profile is checked by reading the file.
const text = readFileSync(path.join(projectRoot(), 'docker-compose.yml'), 'utf8');
const compose = parse(text) as {
  services: Record<string, { image: string; ports: string[]; profiles?: string[]; command?: string[] }>;
};

describe("the compose file's cluster profile", () => {
  const service = compose.services['valkey-cluster']!;
  const script = (service.command ?? []).join('\n');
  const published = service.ports.map((p) => p.split(':'));

  it('starts only with --profile cluster, from a pinned Valkey 8.0 image', () => {
    expect(service.profiles).toEqual(['cluster']);
    expect(service.image).toBe('valkey/valkey:8.0');
  });

  it('publishes three ports on loopback only, each as itself, and joins exactly those nodes', () => {
    expect(published).toHaveLength(3);
    for (const [host, outside, inside] of published) {
      expect(host).toBe('127.0.0.1');
      expect(outside).toBe(inside); // the nodes announce 127.0.0.1:<port>, which must be what the host reaches
      expect(script).toContain(`127.0.0.1:${inside}`);
    }
    expect(script).toMatch(/--cluster-enabled yes/);
    expect(script).toMatch(/--cluster create( 127\.0\.0\.1:\d+){3} --cluster-yes/);
  });

  it('documents a VALKEY_CLUSTER_NODES line the config accepts, naming the published ports', () => {
    const line = text.match(/VALKEY_CLUSTER_NODES=(\S+)/)![1]!;
    const config = loadConfig({
      env: { VALKEY_CLUSTER_NODES: line },
      root: path.join(projectRoot(), 'no-such-folder'),
    });
    expect(config.valkey.clusterNodes?.map((n) => `${n.host}:${n.port}`)).toEqual(
      published.map(([host, port]) => `${host}:${port}`),
    );
  });
});
