// The display plumbing: the kernel is recognised however it was started; elsewhere output is plain text.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { displayRich, inKernel, present, showMarkdown } from '../../src/show';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('inKernel', () => {
  it('recognises the tslab kernel process', () => {
    const argv = ['/usr/bin/node', 'lab/node_modules/tslab/bin/tslab', 'kernel', '--config-path', 'kernel-1234.json'];
    expect(inKernel(argv)).toBe(true);
  });

  it('recognises a kernel started through the node_modules/.bin/tslab symlink or a global tslab', () => {
    const argv = ['/usr/bin/node', '/project/node_modules/.bin/tslab', 'kernel', '--config-path', 'k.json'];
    expect(inKernel({ argv, mainFilename: '/project/node_modules/tslab/bin/tslab' })).toBe(true);
    const global = ['/usr/bin/node', '/usr/local/bin/tslab', 'kernel', '--config-path', 'k.json'];
    expect(inKernel({ argv: global, mainFilename: '/usr/local/lib/node_modules/tslab/bin/tslab' })).toBe(true);
  });

  it('recognises the kernel by the global tslab defines in it', () => {
    expect(inKernel({ argv: ['/usr/bin/node', 'tslab'], tslabGlobal: true })).toBe(true);
  });

  it('is false for tests, scripts, the REPL and tslab commands that are not the kernel', () => {
    expect(inKernel()).toBe(false);
    expect(inKernel(['/usr/bin/node'])).toBe(false);
    expect(inKernel(['/usr/bin/node', 'scripts/run-notebooks.ts', 'kernel'])).toBe(false);
    expect(inKernel(['/usr/bin/node', 'lab/node_modules/tslab/bin/tslab', 'install'])).toBe(false);
    const install = {
      argv: ['/usr/bin/node', '/p/node_modules/.bin/tslab', 'install'],
      mainFilename: '/p/tslab/bin/tslab',
    };
    expect(inKernel(install)).toBe(false);
  });
});

describe('outside a notebook', () => {
  it('sends no rich output', () => {
    expect(displayRich('html', '<b>hi</b>')).toBe(false);
  });

  it('prints the text and returns it, so it can be checked', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(present('html', '<b>hits: 12</b>', 'hits: 12')).toBe('hits: 12');
    expect(log).toHaveBeenCalledWith('hits: 12');
  });

  it('prints markdown as it is', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(showMarkdown('**20×** faster')).toBe('**20×** faster');
    expect(log).toHaveBeenCalledOnce();
  });
});
