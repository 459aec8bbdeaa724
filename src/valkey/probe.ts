// One question to a server on a loopback port, through iovalkey like every other conversation with Valkey: is it
// up, is it ours, which role. A connection of its own that never retries, never queues, and is closed at once.

import net from 'node:net';
import Redis from 'iovalkey';

/** What a server said: nothing (nobody listens, or it did not answer in time), a reply, or an error reply. */
export type ServerAnswer = { answered: false } | { answered: true; reply: unknown } | { answered: true; error: string };

/**
 * Sends `args` to the server on 127.0.0.1:`port` and returns its answer. With `password`, AUTH goes first; a
 * refused AUTH is the answer (`WRONGPASS …`).
 */
export async function askServer(
  port: number,
  args: readonly string[],
  options: { password?: string; timeoutMs?: number } = {},
): Promise<ServerAnswer> {
  const timeoutMs = options.timeoutMs ?? 1_000;
  const client = new Redis({
    host: '127.0.0.1',
    port,
    ...(options.password !== undefined ? { password: options.password } : {}),
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    reconnectOnError: () => false,
    enableReadyCheck: false,
    enableOfflineQueue: true,
    connectionName: 'valkey-lab-probe',
  });
  // A refused AUTH arrives as an 'error' event (before the command's own reply, NOAUTH); it is the answer.
  let refusedAuth: string | undefined;
  client.on('error', (error: Error) => {
    if (/^(WRONGPASS|ERR invalid password)/.test(error.message)) refusedAuth ??= error.message;
  });
  try {
    await client.connect();
  } catch {
    client.disconnect();
    return { answered: false };
  }
  try {
    return { answered: true, reply: await client.call(args[0]!, ...args.slice(1)) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // A command that timed out, or a connection that closed before a reply, is no answer.
    if (refusedAuth) return { answered: true, error: refusedAuth };
    if (/timed out|Connection is closed/i.test(message)) return { answered: false };
    return { answered: true, error: message };
  } finally {
    client.disconnect();
  }
}

/** The answer as text: a reply's text (an array's items one a line), `-` and the message for an error reply. */
export function answerText(answer: ServerAnswer): string {
  if (!answer.answered) return '';
  if ('error' in answer) return `-${answer.error}`;
  const text = (value: unknown): string =>
    Array.isArray(value) ? value.map(text).join('\n') : Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
  return text(answer.reply);
}

/** True when something listens on 127.0.0.1:`port` (a Valkey, its cluster bus, or anything else). */
export async function portTaken(port: number, timeoutMs = 300): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (taken: boolean) => {
      socket.destroy();
      resolve(taken);
    };
    socket.setTimeout(timeoutMs, () => done(true));
    socket.on('connect', () => done(true));
    socket.on('error', () => done(false));
  });
}
