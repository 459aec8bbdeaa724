// TLS on a private server: a certificate authority and a server certificate made with openssl in the server's own
// folder (removed with it), a server listening on a plain port and a TLS port at once, and clients for both.

import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type Redis from 'iovalkey';
import { projectRoot } from '../config';
import { LabError, errorMessage } from '../errors';
import { connectValkeyUrl, type ValkeyClientOptions } from './client';
import { freePort, startPrivateValkey, type PrivateValkey } from './server';

/** The files a TLS server and its clients need, and the openssl commands that made them. */
export interface TestCertificates {
  dir: string;
  /** The certificate authority's certificate: what a client trusts. */
  caFile: string;
  /** The server's certificate (signed by the CA, for localhost and 127.0.0.1) and its private key. */
  certFile: string;
  keyFile: string;
  /** The openssl commands run, in order, as a shell would show them (run in `dir`). */
  commands: string[];
}

/**
 * Makes a throwaway certificate authority and a server certificate signed by it, valid for a day, with EC P-256
 * keys, in `dir`. For a lab only: a real CA keeps its key elsewhere and lives longer than a day.
 */
export function makeTestCertificates(dir: string): TestCertificates {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'server.ext'), 'subjectAltName = DNS:localhost, IP:127.0.0.1\n');
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const steps: string[][] = [
    ['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=valkey-lab test CA'],
    ['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost'],
    ['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial'],
  ];
  steps[2]!.push('-out', 'server.crt', '-days', '1', '-extfile', 'server.ext');
  for (const args of steps) {
    try {
      execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
    } catch (error) {
      throw new LabError({
        what: `openssl ${args[0]} failed: ${errorMessage(error)}`,
        where: dir,
        fix: 'Install openssl (apt-get install openssl) and run the cell again.',
      });
    }
  }
  for (const key of ['ca.key', 'server.key']) chmodSync(path.join(dir, key), 0o600);
  return {
    dir,
    caFile: path.join(dir, 'ca.crt'),
    certFile: path.join(dir, 'server.crt'),
    keyFile: path.join(dir, 'server.key'),
    commands: steps.map((args) => `openssl ${args.map((a) => (/[\s/]/.test(a) ? `"${a}"` : a)).join(' ')}`),
  };
}

/** A private server with a plain port and a TLS port, and the certificates it was started with. */
export interface TlsValkey extends PrivateValkey {
  tlsPort: number;
  certificates: TestCertificates;
}

/**
 * Starts a private server listening on a plain port and on a TLS port at once (so the two can be timed against
 * the same server), its certificates made in its folder; `stop()` removes both. Clients need no certificate of
 * their own (`tls-auth-clients no`): they check the server's against the CA.
 */
export async function startTlsValkey(options: { binary?: string } = {}): Promise<TlsValkey> {
  const scratch = path.join(projectRoot(), '.lab', 'private');
  mkdirSync(scratch, { recursive: true });
  const dir = mkdtempSync(path.join(scratch, 'tls-'));
  const certificates = makeTestCertificates(path.join(dir, 'tls'));
  const tlsPort = await freePort();
  let server: PrivateValkey;
  try {
    server = await startPrivateValkey({
      dir,
      removeDir: true,
      binary: options.binary,
      config: {
        'tls-port': String(tlsPort),
        'tls-cert-file': certificates.certFile,
        'tls-key-file': certificates.keyFile,
        'tls-ca-cert-file': certificates.caFile,
        'tls-auth-clients': 'no',
      },
    });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new LabError({
      what: `This valkey-server did not start with TLS: ${errorMessage(error)}`,
      where: dir,
      fix: "Use a Valkey built with TLS (Debian's is; a build from source needs BUILD_TLS=yes).",
    });
  }
  return { ...server, tlsPort, certificates };
}

/**
 * Connects over TLS to `port`, trusting the certificate authority in `caFile` (and nothing else: the system's
 * authorities do not vouch for a lab's certificate). Without `caFile` the client trusts only the system's
 * authorities, so a lab server's certificate is refused.
 */
export async function connectValkeyTls(
  port: number,
  caFile?: string,
  options: ValkeyClientOptions = {},
): Promise<Redis> {
  return connectValkeyUrl(`rediss://127.0.0.1:${port}`, {
    keyPrefix: '',
    ...options,
    extra: { ...options.extra, tls: { servername: 'localhost', ...(caFile ? { ca: [readFileSync(caFile)] } : {}) } },
  });
}

/** The TLS version and cipher a connected client negotiated, read from its socket. */
export function tlsSession(client: Redis): { protocol: string; cipher: string } | undefined {
  const stream = (client as unknown as { stream?: { getProtocol?: () => string; getCipher?: () => { name: string } } })
    .stream;
  if (!stream?.getProtocol) return undefined;
  return { protocol: stream.getProtocol() ?? '?', cipher: stream.getCipher?.().name ?? '?' };
}
