// Notebook 09's persistence and security graders, on private servers they start themselves: the stub is not done,
// the reference solution passes, and plausible wrong answers fail at the right check with the right hint.

import { describe, expect, it } from 'vitest';
import { gradeAclRule, gradeLossBudget, type AclRuleFor, type QueuePersistence } from '../../src/exercises/hardening';
import { cellFunction, referenceSolution, shippedStub } from '../support/exercises';

// The stub and the reference solution as notebook 09 and its solutions file carry them.
const cells = (id: 'service-acl' | 'loss-budget') => ({
  stub: shippedStub('09', id),
  solution: referenceSolution('09', id),
});

const fromCell = <F>(source: string, name: string) => cellFunction<F>(source, name, {});
const rule =
  (text: string): AclRuleFor =>
  (prefix, password) =>
    text.replaceAll('PREFIX', prefix).replaceAll('PASSWORD', password);

describe('notebook 09 graders', () => {
  describe('Your turn 9.2, the service’s ACL rule', () => {
    const { stub, solution } = cells('service-acl');

    it('says the stub is not done', async () => {
      const result = await gradeAclRule(fromCell(stub, 'aclRuleFor'));
      expect(result.status).toBe('not-done');
      expect(result.passed).toEqual([]);
    });

    it('passes the reference solution', async () => {
      const result = await gradeAclRule(fromCell(solution, 'aclRuleFor'));
      expect(result.failure).toBeUndefined();
      expect(result.passed).toHaveLength(12);
    });

    it('fails a key pattern with every command: FLUSHALL still wipes the server', async () => {
      const result = await gradeAclRule(rule('on >PASSWORD ~PREFIX* +@all'));
      expect(result.failure).toMatchObject({ check: 'FLUSHALL answers NOPERM' });
      expect(result.failure!.seen).toMatch(/^allowed/);
      expect(result.failure!.hint).toMatch(/-@all/);
    });

    it('fails +@read +@write: FLUSHALL is a write command too', async () => {
      const result = await gradeAclRule(rule('on >PASSWORD ~PREFIX* +@read +@write +ping'));
      expect(result.failure?.check).toBe('FLUSHALL answers NOPERM');
    });

    it('fails every key: another application’s keys are open', async () => {
      const result = await gradeAclRule(rule('on >PASSWORD ~* -@all +get +set +del +ping'));
      expect(result.failure?.check).toMatch(/^GET billing:invoice:1 answers NOPERM/);
      expect(result.failure!.hint).toMatch(/~svc:\*/);
    });

    it('fails nopass: any password logs in', async () => {
      const result = await gradeAclRule(rule('on nopass ~PREFIX* -@all +get +set +del +ping'));
      expect(result.failure).toMatchObject({ check: 'a wrong password is refused' });
      expect(result.failure!.hint).toMatch(/>password/);
    });

    it('fails a user left off, and a rule the server cannot read', async () => {
      const off = await gradeAclRule(rule('>PASSWORD ~PREFIX* -@all +get +set +del +ping'));
      expect(off.failure).toMatchObject({ check: 'the service logs in with its password' });
      expect(off.failure!.seen).toMatch(/off/);
      const commas = await gradeAclRule(rule('on >PASSWORD ~PREFIX* -@all +get,+set'));
      expect(commas.failure?.check).toBe('the server takes the rule (ACL SETUSER)');
    });

    it('fails a rule without DEL: the service cannot invalidate', async () => {
      const result = await gradeAclRule(rule('on >PASSWORD ~PREFIX* -@all +get +set +ping'));
      expect(result.failure?.check).toMatch(/^the service can DEL/);
      expect(result.failure!.seen).toMatch(/NOPERM/);
    });
  });

  describe('Your turn 9.3, a persistence setting for a loss budget', () => {
    const { stub, solution } = cells('loss-budget');
    const settings =
      (s: Record<string, string>): QueuePersistence =>
      () =>
        s;

    it('says the stub is not done', async () => {
      const result = await gradeLossBudget(fromCell(stub, 'queuePersistence'));
      expect(result.status).toBe('not-done');
      expect(result.passed).toEqual([]);
    });

    it('passes the reference solution, and the AOF with its default flush', async () => {
      const result = await gradeLossBudget(fromCell(solution, 'queuePersistence'));
      expect(result.failure).toBeUndefined();
      expect(result.passed).toHaveLength(4);
      expect((await gradeLossBudget(settings({ appendonly: 'yes' }))).status).toBe('passed');
    });

    it('fails a snapshot every second: the writes after it are lost', async () => {
      const result = await gradeLossBudget(settings({ save: '1 1' }));
      expect(result.failure).toMatchObject({ check: 'a process crash (SIGKILL) loses no acknowledged write' });
      expect(result.failure!.hint).toMatch(/appendonly yes/);
    });

    it('fails appendfsync always: over budget on the cost of each write', async () => {
      const result = await gradeLossBudget(settings({ appendonly: 'yes', appendfsync: 'always' }));
      expect(result.failure).toMatchObject({ check: 'and no flush to disk on every write' });
      expect(result.failure!.seen).toMatch(/writes\/s/);
    });

    it('fails appendfsync no: a machine crash could lose far more than a second', async () => {
      const result = await gradeLossBudget(settings({ appendonly: 'yes', appendfsync: 'no' }));
      expect(result.failure?.check).toMatch(/^a machine crash loses at most about a second/);
    });

    it('fails a setting the server does not know, with its message', async () => {
      const result = await gradeLossBudget(settings({ appendonly: 'sometimes' }));
      expect(result.failure?.check).toBe('a private server starts with your settings and takes the drill');
      expect(result.failure!.seen).toMatch(/ended as it started/);
    });
  });
});
