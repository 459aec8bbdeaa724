// `npm run cluster -- start|status|stop [--replicas 1]`: the learner's local Valkey Cluster, data under .lab/cluster/.

import path from 'node:path';
import { projectRoot } from '../src/config';
import { LabError } from '../src/errors';
import { LOCAL_CLUSTER_DIR, localClusterStatus, reapOrphans, startLocalCluster, stopLocalCluster } from '../src/valkey';

const USAGE = 'Usage: npm run cluster -- start [--replicas 1] | status | stop';

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const root = projectRoot();
  const dir = path.join(root, LOCAL_CLUSTER_DIR);
  if (command === 'start') {
    const replicasAt = rest.indexOf('--replicas');
    const replicas = replicasAt >= 0 ? rest[replicasAt + 1] : '0';
    if (replicas !== '0' && replicas !== '1') {
      throw new LabError({ what: `--replicas ${replicas ?? ''} is not 0 or 1`, fix: USAGE });
    }
    const status = await localClusterStatus(dir);
    if (status.running) {
      console.log(`already running: ${status.nodes.length} nodes, cluster_state:${status.state}`);
      console.log(status.envLine);
      return;
    }
    if (status.nodes.length > 0) await stopLocalCluster(dir); // some nodes died: start afresh
    const cluster = await startLocalCluster({ dir, replicas: Number(replicas) as 0 | 1, lifetime: 'detached' });
    const roles = cluster.nodes.map((n) => `${n.host}:${n.port} ${n.role} (pid ${n.pid})`);
    console.log(`started in ${cluster.startSeconds.toFixed(1)} s: ${roles.join(', ')}`);
    console.log(`Point the lab at it (in .env or the environment):\n${cluster.envLine}`);
  } else if (command === 'status') {
    const status = await localClusterStatus(dir);
    if (status.nodes.length === 0) {
      console.log('not running (start it with `npm run cluster -- start`)');
      return;
    }
    for (const n of status.nodes) console.log(`${n.host}:${n.port} ${n.role} pid ${n.pid}: ${n.alive ? 'up' : 'down'}`);
    console.log(`cluster_state:${status.state ?? 'unknown'}`);
    console.log(status.envLine);
  } else if (command === 'stop') {
    const stopped = await stopLocalCluster(dir);
    const reaped = reapOrphans(root);
    console.log(
      `stopped ${stopped} cluster node(s)` + (reaped.length ? `; ended ${reaped.length} orphaned process(es)` : ''),
    );
  } else {
    throw new LabError({ what: `Unknown cluster command "${command ?? ''}"`, fix: USAGE });
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof LabError ? error.message : error);
  process.exitCode = 1;
});
