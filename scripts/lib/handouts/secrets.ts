// No handout carries a way to log in: every password the lab knows, and the user part of any connection
// URL, is masked in every page before it is written.

import type { LabConfig } from '../../../src/config';
import { LabError } from '../../../src/errors';
import { escapeHtml } from '../../../src/show/format';

const URL_WITH_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@"'<>]+@/gi;

/**
 * Masks every password in `secrets`, raw or HTML-escaped, and the user part of any URL that names one
 * (`mysql://user:pw@host` becomes `mysql://***@host`), so no handout carries a way to log in.
 */
export function maskSecrets(content: string, secrets: readonly string[]): string {
  let out = content.replace(URL_WITH_CREDENTIALS, '$1***@');
  for (const secret of secrets) {
    for (const form of new Set([secret, escapeHtml(secret), encodeURIComponent(secret)])) {
      out = out.split(form).join('***');
    }
  }
  return out;
}

/** Every password the configuration holds: the lab user's, the administrators', and Valkey's. */
export function labSecrets(config: LabConfig): string[] {
  const valkeyPassword = (() => {
    try {
      return config.valkey.url ? decodeURIComponent(new URL(config.valkey.url).password) : '';
    } catch {
      return '';
    }
  })();
  return [config.mysql, config.postgres, config.mysqlAdmin, config.postgresAdmin]
    .map((t) => t.password ?? '')
    .concat(valkeyPassword)
    .filter((p) => p.length > 0);
}

/** Refuses (LabError) a password too short to mask without mangling the page around it. */
export function checkSecrets(secrets: readonly string[]): string[] {
  const usable = [...new Set(secrets.filter((s) => s.length > 0))];
  const short = usable.find((s) => s.length < 4);
  if (short !== undefined) {
    throw new LabError({
      what: 'A lab password is shorter than 4 characters, too short to mask reliably in handouts',
      fix: 'Use a longer password (set-up generates one when LAB_DB_PASSWORD is empty).',
    });
  }
  return usable;
}
