// The lab's own set-up, after scripts/setup.sh has installed packages and built the library:
// .env, databases and lab user on each engine, Valkey, the Jupyter kernel, the dataset. Safe to re-run.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  ENGINE_KINDS,
  connectValkey,
  describeConfig,
  engineLabel,
  ensureManagedValkey,
  loadConfig,
  projectRoot,
  provisionLabDatabase,
  targetOf,
  valkeyServerInfo,
  type EngineKind,
} from '../src/internal';
import { findNotebookPython, installKernelSpec } from './lib/jupyter';
import { runMain, step } from './lib/cli';

const USAGE = `Usage: npm run setup -- [--engines mysql,postgres] [--no-dataset] [--scale tiny|default|full] [--force-dataset]`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      python: { type: 'string' },
      engines: { type: 'string', default: ENGINE_KINDS.join(',') },
      'no-dataset': { type: 'boolean', default: false },
      scale: { type: 'string' },
      'force-dataset': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const root = projectRoot();
  const engines = parseEngines(values.engines);

  await step('configuration (.env)', async () => ensureDotEnv(root));
  const config = loadConfig({ root });

  for (const engine of engines) {
    await step(`${engineLabel(engine)}: lab databases and user`, async () => {
      const databases = await provisionLabDatabase(config, engine);
      const target = targetOf(config, engine);
      return `${databases.join(', ')} for ${target.user} at ${target.host}:${target.port}`;
    });
  }

  await step('Valkey', async () => {
    if (config.valkey.source === 'env') {
      const client = await connectValkey(config);
      const info = await valkeyServerInfo(client);
      client.disconnect();
      const note = info.flavor === 'redis' ? ' (Redis: the lab works, but it teaches Valkey; see the README)' : '';
      return `using VALKEY_URL: ${info.label} at ${info.where}${note}`;
    }
    const { valkey, started } = await ensureManagedValkey(root, config.valkey.password);
    const guard = config.valkey.password ? ', password from .env' : '';
    return `${started ? 'started' : 'already running'}: the lab's Valkey at ${valkey.url.replace('redis://', '')} (data in ${valkey.dir}${guard})`;
  });

  await step('Jupyter kernel (tslab)', async () => {
    const setup = installKernelSpec(root, findNotebookPython(values.python));
    return `kernel spec in ${path.relative(root, setup.jupyterPath)}, notebooks run with ${setup.python}`;
  });

  if (!values['no-dataset']) {
    for (const engine of engines) {
      await step(`${engineLabel(engine)}: dataset`, () =>
        loadDatasetCli(root, engine, values.scale, values['force-dataset']),
      );
    }
  }

  console.log('\nThe lab is set up:');
  for (const [name, value] of Object.entries(describeConfig(loadConfig({ root })))) {
    console.log(`  ${name.padEnd(24)} ${value}`);
  }
}

/**
 * Runs the dataset loader's own command (its progress bars and messages), which does nothing when the
 * configured scale and seed are loaded already.
 */
async function loadDatasetCli(
  root: string,
  engine: EngineKind,
  scale: string | undefined,
  force: boolean,
): Promise<void> {
  const args = [
    'scripts/load-dataset.ts',
    '--engine',
    engine,
    ...(scale ? ['--scale', scale] : []),
    ...(force ? ['--force'] : []),
  ];
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn(path.join(root, 'node_modules', '.bin', 'tsx'), args, { cwd: root, stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', (exitCode) => resolve(exitCode ?? 1));
  });
  if (code !== 0) throw new Error(`Loading the dataset into ${engine} failed (the loader said why, above).`);
}

function parseEngines(list: string): EngineKind[] {
  const engines = list.split(',').map((e) => e.trim());
  const unknown = engines.filter((e) => !(ENGINE_KINDS as readonly string[]).includes(e));
  if (unknown.length > 0) throw new Error(`Unknown engine(s) ${unknown.join(', ')} in --engines. ${USAGE}`);
  return engines as EngineKind[];
}

/**
 * Creates `.env` from `.env.example` when there is none, and makes sure the lab user and the lab's
 * Valkey have passwords: random ones, generated once and kept in `.env` (git-ignored), never printed.
 */
function ensureDotEnv(root: string): string {
  const file = path.join(root, '.env');
  let created = false;
  if (!existsSync(file)) {
    copyFileSync(path.join(root, '.env.example'), file);
    created = true;
  }
  let text = readFileSync(file, 'utf8');
  const generated: string[] = [];
  for (const [name, what] of [
    ['LAB_DB_PASSWORD', 'the lab user'],
    ['LAB_VALKEY_PASSWORD', "the lab's Valkey"],
  ] as const) {
    if (new RegExp(`^${name}=\\S+`, 'm').test(text) || process.env[name]) continue;
    const password = randomBytes(18).toString('base64url');
    const line = new RegExp(`^${name}=.*$`, 'm');
    text = line.test(text) ? text.replace(line, `${name}=${password}`) : `${text.trimEnd()}\n${name}=${password}\n`;
    generated.push(what);
  }
  if (generated.length === 0) return created ? 'created .env from .env.example' : '.env present';
  writeFileSync(file, text, { mode: 0o600 });
  return `${created ? 'created .env' : 'updated .env'}: generated a password for ${generated.join(' and ')} (kept in .env, not shown)`;
}

runMain(main);
