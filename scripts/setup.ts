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
import { resolveLabUserPassword, sharedPasswordFile } from './lib/lab-user-password';
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
 * Creates `.env` from `.env.example` when there is none, and gives it the passwords: the lab user's, shared by
 * every clone of the lab on this machine (see lab-user-password.ts), and a random one for this clone's own Valkey.
 * Both are kept in `.env` (git-ignored) and never printed.
 */
function ensureDotEnv(root: string): string {
  const file = path.join(root, '.env');
  let created = false;
  if (!existsSync(file)) {
    copyFileSync(path.join(root, '.env.example'), file);
    created = true;
  }
  const before = readFileSync(file, 'utf8');
  const valueOf = (name: string) => before.match(new RegExp(`^${name}=(\\S+)`, 'm'))?.[1];
  const setValue = (text: string, name: string, value: string) => {
    const line = new RegExp(`^${name}=.*$`, 'm');
    return line.test(text) ? text.replace(line, `${name}=${value}`) : `${text.trimEnd()}\n${name}=${value}\n`;
  };
  const notes: string[] = [];
  let text = before;

  const shared = sharedPasswordFile();
  const labUser = resolveLabUserPassword(nonEmpty(process.env.LAB_DB_PASSWORD), valueOf('LAB_DB_PASSWORD'), shared);
  if (labUser.password !== valueOf('LAB_DB_PASSWORD')) text = setValue(text, 'LAB_DB_PASSWORD', labUser.password);
  const told: Record<typeof labUser.source, string> = {
    environment:
      'the lab user takes LAB_DB_PASSWORD from the environment, and the other clones of the lab here will too',
    shared: "the lab user's password is the one every clone of the lab on this machine shares",
    '.env': "the lab user's password from .env is now shared with every clone of the lab on this machine",
    generated: 'generated a password for the lab user, shared with every clone of the lab on this machine',
  };
  if (labUser.source !== 'shared' || text !== before)
    notes.push(`${told[labUser.source]} (kept in ${shared}, not shown)`);

  if (!valueOf('LAB_VALKEY_PASSWORD') && !process.env.LAB_VALKEY_PASSWORD) {
    text = setValue(text, 'LAB_VALKEY_PASSWORD', randomBytes(18).toString('base64url'));
    notes.push("generated a password for the lab's Valkey (kept in .env, not shown)");
  }
  if (text !== before) writeFileSync(file, text, { mode: 0o600 });
  const head = created ? 'created .env from .env.example' : text !== before ? 'updated .env' : '.env present';
  return [head, ...notes].join('; ');
}

function nonEmpty(value: string | undefined): string | undefined {
  return value?.trim() ? value.trim() : undefined;
}

runMain(main);
