// A private Valkey for one grade: started in the lab's scratch folder, removed when the grader stops it.

import { mkdirSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../config';
import { startPrivateValkey, type PrivateValkey } from '../valkey/server';

export async function scratchServer(config: Record<string, string> = {}): Promise<PrivateValkey> {
  const scratch = path.join(projectRoot(), '.lab', 'private');
  mkdirSync(scratch, { recursive: true });
  return startPrivateValkey({ dir: mkdtempSync(path.join(scratch, 'grader-')), removeDir: true, config });
}
