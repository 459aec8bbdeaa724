// The classic Jupyter Notebook server, started headlessly with the lab's kernel, as a learner's `npm run lab`
// would start it, on a free loopback port and with its own token, config and runtime folders.

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../../src/valkey/server';
import { readJupyterSetup } from '../../scripts/lib/jupyter';

export interface NotebookServer {
  /** `http://127.0.0.1:<port>` */
  base: string;
  token: string;
  /** The URL that opens one notebook of the served folder, token included. */
  urlOf(notebook: string): string;
  /** Everything the server printed, for a failing test to show. */
  log(): string;
  stop(): Promise<void>;
}

/** Starts `jupyter notebook` serving `dir`; resolves once its API answers. */
export async function startNotebookServer(
  root: string,
  dir: string,
  env: NodeJS.ProcessEnv = {},
): Promise<NotebookServer> {
  const jupyter = readJupyterSetup(root);
  const port = await freePort();
  const token = randomBytes(16).toString('hex');
  const own = path.join(dir, '.jupyter');
  mkdirSync(own, { recursive: true });
  const args = [
    'notebook',
    '--no-browser',
    '--ip=127.0.0.1',
    `--port=${port}`,
    '--port-retries=0',
    `--notebook-dir=${dir}`,
    `--NotebookApp.token=${token}`,
    ...(process.getuid?.() === 0 ? ['--allow-root'] : []),
  ];
  let output = '';
  const child: ChildProcess = spawn('jupyter', args, {
    cwd: dir,
    env: {
      ...process.env,
      ...env,
      // The lab's kernel, found the way `npm run lab` finds it, and no user-wide Jupyter settings or state.
      JUPYTER_PATH: jupyter.jupyterPath,
      JUPYTER_CONFIG_DIR: path.join(own, 'config'),
      JUPYTER_RUNTIME_DIR: path.join(own, 'runtime'),
      JUPYTER_DATA_DIR: path.join(own, 'data'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const base = `http://127.0.0.1:${port}`;
  const server: NotebookServer = {
    base,
    token,
    urlOf: (notebook) => `${base}/notebooks/${encodeURIComponent(notebook)}?token=${token}`,
    log: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };

  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`jupyter notebook exited (${child.exitCode}):\n${output}`);
    try {
      const response = await fetch(`${base}/api/status?token=${token}`);
      if (response.ok) return server;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await server.stop();
  throw new Error(`jupyter notebook did not answer on ${base} within 60 s:\n${output}`);
}
