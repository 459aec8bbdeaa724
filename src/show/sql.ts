// Shows the SQL that ran, so a learner always sees which statement produced a result.

import { showMarkdown } from './display';

/** Shows `sql` as a highlighted block in a notebook, or prints it elsewhere. */
export function showSql(sql: string): string | undefined {
  return showMarkdown(`\`\`\`sql\n${sql.trim()}\n\`\`\``);
}
