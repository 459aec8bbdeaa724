// Notebook 09's persistence and security exercises: the service's ACL rule, tried as that user on a private server;
// the persistence setting for a write-behind queue's loss budget, tried by SIGKILLing a private server mid-stream.

import type Redis from 'iovalkey';
import { crashDrill, type CrashDrill } from '../experiments/persistence';
import { formatNumber } from '../show/format';
import { aclUserLine, connectAsUser, isNoPerm, probeAcl, serviceAclProbes, setAclUser } from '../valkey/acl';
import { connectValkeyUrl } from '../valkey/client';
import type { PrivateValkey } from '../valkey/server';
import { grade, shown, type Grade } from './grade';
import { scratchServer } from './scratch';

const RAN_INTO_ERROR = 'read the error above, fix your cell, run it, then run this cell again';

/** The learner's ACL rule: the words after `ACL SETUSER <user>` for a service that caches under `prefix`. */
export type AclRuleFor = (prefix: string, password: string) => string;

/** What Your turn 9.2 is graded with: the service's prefix, another application's, and the user. */
export const ACL_EXERCISE = { user: 'flight-service', prefix: 'svc:', foreignPrefix: 'billing:' } as const;

/** Why a refused-but-allowed probe is wrong, and how to mend the rule; by the probe's command. */
const REFUSAL_HINTS: Record<string, string> = {
  FLUSHALL:
    'a key pattern limits which keys a command names, not commands that touch every key: start from -@all and add only what the service sends',
  CONFIG:
    'an admin command (@admin, @dangerous) that the service never needs: start from -@all and add only +get +set +del +ping',
  KEYS: 'KEYS lists keys whatever the key pattern says, and blocks the server while it walks them all: leave it out (start from -@all)',
};

/**
 * Grades "Your turn 9.2": the learner's rule, set for `flight-service` on a private server: the service logs in with
 * its password (and not with another), SET … EX, GET, DEL and PING on its prefix work, and FLUSHALL, CONFIG, KEYS
 * and another prefix's keys answer NOPERM.
 */
export async function gradeAclRule(aclRuleFor: AclRuleFor): Promise<Grade> {
  const { user, prefix, foreignPrefix } = ACL_EXERCISE;
  const password = `pw-${Math.random().toString(36).slice(2, 10)}`;
  let server: PrivateValkey | undefined;
  let admin: Redis | undefined;
  let service: Redis | undefined;
  return grade(
    { id: 'service-acl', number: '9.2' },
    async (g) => {
      const rule = await g.attempt(
        'your function returns the rule',
        () => aclRuleFor(prefix, password),
        RAN_INTO_ERROR,
      );
      g.expect(typeof rule === 'string' && rule.trim() !== '', 'your function returns the rule as text', {
        expected: `the words after ACL SETUSER ${user}, e.g. "on >${password} ~${prefix}* …"`,
        seen: shown(rule),
        hint: 'return one string: the rule words separated by spaces',
      });
      server = await scratchServer();
      admin = await connectValkeyUrl(server.url, { keyPrefix: '' });
      const adminClient = admin;
      await g.attempt(
        'the server takes the rule (ACL SETUSER)',
        () => setAclUser(adminClient, user, rule),
        'each word is one ACL rule: on, >password, ~pattern, -@all, +command (lower-case command names, no commas)',
      );
      const line = (await aclUserLine(admin, user)) ?? '';
      service = await connectAsUser(server.url, user, password).catch(() => undefined);
      g.expect(service !== undefined, 'the service logs in with its password', {
        expected: `AUTH ${user} <the password> to succeed`,
        seen: / off /.test(` ${line} `) ? `the user is off: ${line}` : 'WRONGPASS',
        hint: 'the rule needs `on` (a new user is off) and `>` followed by the password the function is given',
      });
      const intruder = await connectAsUser(server.url, user, 'not-the-password').catch(() => undefined);
      intruder?.disconnect();
      g.expect(intruder === undefined, 'a wrong password is refused', {
        expected: 'WRONGPASS for another password',
        seen: 'logged in with any password',
        hint: 'nopass lets every password in: give the user its password with >password instead',
      });
      const results = await probeAcl(service!, serviceAclProbes(prefix, foreignPrefix));
      for (const result of results.filter((r) => r.should === 'work')) {
        g.expect(result.allowed, `the service can ${result.label}`, {
          expected: 'an answer, not an error',
          seen: result.reply,
          hint: isNoPerm(result.reply)
            ? `add the commands the service sends (+get +set +del +ping) and its keys (~${prefix}*)`
            : 'the rule allows it, but the command failed: read the reply',
        });
      }
      for (const result of results.filter((r) => r.should === 'be refused')) {
        const foreign = result.label.includes(foreignPrefix);
        g.expect(!result.allowed && isNoPerm(result.reply), `${result.label} answers NOPERM`, {
          expected: 'NOPERM',
          seen: result.allowed ? `allowed: ${result.reply}` : result.reply,
          hint: foreign
            ? `~* (or allkeys) opens every application's keys: give only the service's, ~${prefix}*`
            : (REFUSAL_HINTS[result.label.split(' ')[0]!] ?? 'start from -@all and add only what the service sends'),
        });
      }
    },
    async () => {
      service?.disconnect();
      admin?.disconnect();
      await server?.stop();
    },
  );
}

/** The learner's choice: valkey-server settings for the write-behind queue's server, e.g. `{ appendonly: 'yes' }`. */
export type QueuePersistence = () => Record<string, string>;

/**
 * Grades "Your turn 9.3": the learner's settings run a crash drill (a private server SIGKILLed during a stream of
 * acknowledged XADDs, then restarted from its files). Within the budget: no acknowledged write lost to the process
 * crash; on a machine crash at most about a second of writes (appendfsync everysec: a SIGKILL leaves the kernel's
 * page cache intact, so the setting the server ran with is what tells); and no flush to disk on every write.
 */
export async function gradeLossBudget(queuePersistence: QueuePersistence): Promise<Grade> {
  return grade({ id: 'loss-budget', number: '9.3' }, async (g) => {
    const settings = await g.attempt('your function returns the settings', () => queuePersistence(), RAN_INTO_ERROR);
    const valid =
      settings !== null &&
      typeof settings === 'object' &&
      !Array.isArray(settings) &&
      Object.values(settings).every((v) => typeof v === 'string');
    g.expect(valid, 'your function returns settings as { name: value } text', {
      expected: "an object of strings, e.g. { save: '', appendonly: 'no' }",
      seen: shown(settings),
      hint: "valkey-server settings by name, each value a string: { appendonly: 'yes' }",
    });
    const drill: CrashDrill = await g.attempt(
      'a private server starts with your settings and takes the drill',
      () => crashDrill({ name: 'yours', setting: settings, preloadKeys: 2_000, streamMs: 1_500 }),
      'use valkey.conf names and values (appendonly yes|no, appendfsync always|everysec|no, save "<seconds> <changes>")',
    );
    const { running } = drill;
    g.expect(drill.lost === 0, 'a process crash (SIGKILL) loses no acknowledged write', {
      expected: `all ${formatNumber(drill.acknowledged)} acknowledged XADDs in the stream after the restart`,
      seen: `${formatNumber(drill.lost)} lost, ${formatNumber(drill.kept)} kept (appendonly ${running.appendonly}, save "${running.save}")`,
      hint:
        running.appendonly === 'yes'
          ? 'the AOF was on, yet writes were lost: read the server log in the drill'
          : 'a snapshot keeps only the writes before it: appendonly yes appends every write to the AOF before answering',
    });
    g.expect(
      running.appendfsync !== 'no',
      'a machine crash loses at most about a second of writes (the AOF is flushed to disk by the server)',
      {
        expected: 'appendfsync everysec (or always)',
        seen: 'appendfsync no: the operating system flushes when it likes, often every 30 s',
        hint: 'a SIGKILL cannot show it (the kernel still holds the writes); everysec flushes once a second',
      },
    );
    g.expect(running.appendfsync !== 'always', 'and no flush to disk on every write', {
      expected: 'appendfsync everysec',
      seen: `appendfsync always: ${formatNumber(Math.round(drill.writesPerSecond))} writes/s in this drill`,
      hint: 'always waits for the disk before each answer (compare the drills above): everysec is within the budget',
    });
  });
}
