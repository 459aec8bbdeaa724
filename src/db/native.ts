// An engine's own command-line client (mysql, psql), for comparing the loader with the native path.

/** How to run the engine's client as the lab user, with the password in the environment, never in argv. */
export interface NativeClient {
  command: string;
  /** Connection arguments. */
  args: string[];
  env: NodeJS.ProcessEnv;
  /** Arguments that run one statement (or several, separated by `;`). */
  statementArgs(sql: string): string[];
  /** Arguments that run a script file. */
  scriptArgs(file: string): string[];
  /** The statement that loads a tab-separated file into a table through the client. */
  loadFileSql(table: string, columns: readonly string[], file: string): string;
}
