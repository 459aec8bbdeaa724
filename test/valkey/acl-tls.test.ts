// An ACL user and TLS on private servers of every release under test: the service's user reaches its own keys and
// nothing else, and a client that trusts the lab's certificate authority talks TLS to a server that has both ports.

import { existsSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { projectRoot } from '../../src/config';
import {
  aclLog,
  aclUserLine,
  connectAsUser,
  isNoPerm,
  probeAcl,
  serviceAclProbes,
  serviceAclRule,
  setAclUser,
} from '../../src/valkey/acl';
import { connectValkeyUrl } from '../../src/valkey/client';
import { startPrivateValkey } from '../../src/valkey/server';
import { connectValkeyTls, startTlsValkey, tlsSession } from '../../src/valkey/tls';
import { describeEachValkey } from '../support/valkey-builds';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';

describeEachValkey('an ACL user for the service', (valkey) => {
  it('works on its own prefix and gets NOPERM for FLUSHALL, CONFIG, KEYS and another prefix', async () => {
    const server = await startPrivateValkey({
      dir: mkdtempSync(path.join(tmpdir(), 'lab-acl-')),
      removeDir: true,
      binary: valkey.server,
    });
    const admin = await connectValkeyUrl(server.url, { keyPrefix: '' });
    try {
      await admin.set('billing:invoice:1', 'open');
      await setAclUser(admin, 'flight-service', serviceAclRule('svc:', 's3cret-pass'));
      expect(await aclUserLine(admin, 'flight-service')).toMatch(/~svc:\*/);
      const service = await connectAsUser(server.url, 'flight-service', 's3cret-pass');
      const results = await probeAcl(service, serviceAclProbes('svc:'));
      service.disconnect();
      expect(results.filter((r) => !r.asExpected)).toEqual([]);
      for (const refused of results.filter((r) => r.should === 'be refused'))
        expect(isNoPerm(refused.reply)).toBe(true);
      expect(await admin.get('billing:invoice:1')).toBe('open');
      const log = await aclLog(admin);
      expect(log.map((e) => e.object)).toEqual(expect.arrayContaining(['flushall', 'keys', 'billing:invoice:1']));
      expect(log.every((e) => e.username === 'flight-service')).toBe(true);
      await expect(connectAsUser(server.url, 'flight-service', 'wrong')).rejects.toThrow(/WRONGPASS|invalid/i);
    } finally {
      admin.disconnect();
      await server.stop();
    }
  });
});

describeEachValkey('TLS on a private server', (valkey) => {
  it('serves a client that trusts the lab CA, refuses one that does not, and removes its certificates', async () => {
    const server = await startTlsValkey({ binary: valkey.server });
    try {
      const tls = await connectValkeyTls(server.tlsPort, server.certificates.caFile);
      const plain = await connectValkeyUrl(server.url, { keyPrefix: '' });
      await tls.set('over-tls', 'yes');
      expect(await plain.get('over-tls')).toBe('yes');
      expect(tlsSession(tls)?.protocol).toMatch(/^TLSv1\.[23]$/);
      expect(tlsSession(plain)).toBeUndefined();
      await expect(connectValkeyTls(server.tlsPort)).rejects.toThrow(/SELF_SIGNED_CERT/);
      tls.disconnect();
      plain.disconnect();
    } finally {
      await server.stop();
    }
    expect(existsSync(server.certificates.dir)).toBe(false);
    expect(server.certificates.dir.startsWith(path.join(projectRoot(), '.lab', 'private'))).toBe(true);
  });
});
