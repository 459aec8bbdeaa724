// The project-local Jupyter: the tslab kernel spec under .lab/jupyter, and the Python that runs notebooks.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LabError } from '../../src/errors';

export const KERNEL_NAME = 'tslab';

export interface JupyterSetup {
  /** A Python that can import nbclient and nbconvert. */
  python: string;
  /** Goes into JUPYTER_PATH so Jupyter finds the lab's kernel without any global change. */
  jupyterPath: string;
}

const RECORD = path.join('.lab', 'jupyter.json');

function canRunNotebooks(python: string): boolean {
  try {
    execFileSync(python, ['-c', 'import nbclient, nbconvert'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

/**
 * A Python that can run notebooks: `preferred` if given, else Debian's /usr/bin/python3 (where apt
 * puts nbclient, even when another python3 comes first on PATH), else python3 on PATH.
 */
export function findNotebookPython(preferred?: string): string {
  const candidates = preferred ? [preferred] : ['/usr/bin/python3', 'python3'];
  const found = candidates.find(canRunNotebooks);
  if (!found) {
    throw new LabError({
      what: `Jupyter's nbclient/nbconvert cannot be imported by ${candidates.join(' or ')}`,
      fix: 'Install them (Debian: apt-get install jupyter-nbconvert python3-nbclient), then run `npm run setup`.',
    });
  }
  return found;
}

/**
 * Writes the tslab kernel spec into `.lab/jupyter`. The spec names this Node and the project's own
 * tslab by absolute path, so the kernel starts the same way from any shell, PATH or not.
 */
export function installKernelSpec(root: string, python: string): JupyterSetup {
  const jupyterPath = path.join(root, '.lab', 'jupyter', 'share', 'jupyter');
  const kernelDir = path.join(jupyterPath, 'kernels', KERNEL_NAME);
  mkdirSync(kernelDir, { recursive: true });
  const spec = {
    argv: [
      process.execPath,
      path.join(root, 'node_modules', 'tslab', 'bin', 'tslab'),
      'kernel',
      '--config-path',
      '{connection_file}',
    ],
    display_name: 'TypeScript (tslab)',
    language: 'typescript',
  };
  writeFileSync(path.join(kernelDir, 'kernel.json'), `${JSON.stringify(spec, null, 2)}\n`);
  const setup: JupyterSetup = { python, jupyterPath };
  writeFileSync(path.join(root, RECORD), `${JSON.stringify(setup, null, 2)}\n`);
  return setup;
}

/** What set-up recorded; a LabError saying to run set-up when it has not. */
export function readJupyterSetup(root: string): JupyterSetup {
  const file = path.join(root, RECORD);
  if (!existsSync(file)) {
    throw new LabError({ what: 'Jupyter is not set up for the lab', where: RECORD, fix: 'Run `npm run setup` first.' });
  }
  const setup = JSON.parse(readFileSync(file, 'utf8')) as JupyterSetup;
  findNotebookPython(setup.python);
  return setup;
}
