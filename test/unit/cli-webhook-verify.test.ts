import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { signWebhook } from '../../lambda/modules/kyc';
import { runCli } from '../helpers/cli';

const dir = mkdtempSync(path.join(tmpdir(), 'webhook-verify-'));
const file = (name: string, content: string | Buffer) => {
  const target = path.join(dir, name);
  writeFileSync(target, content);
  return target;
};

describe('cli webhook verify (the acceptance contract)', () => {
  const body = file('body.json', '{"data":{"id":"evt_1","attributes":{"name":"inquiry.approved"}}}');
  const now = 1_795_000_000;
  const headers = file(
    'headers.json',
    JSON.stringify({
      'Persona-Signature': signWebhook('persona', Buffer.from('{"data":{"id":"evt_1","attributes":{"name":"inquiry.approved"}}}'), 'wbhsec_abc', {
        now: new Date(now * 1000),
      })['persona-signature'],
    }),
  );

  it('prints "valid" and exits 0 for a good signature at the given clock', () => {
    const result = runCli(['webhook', 'verify', '--vendor', 'persona', '--secret', 'wbhsec_abc', '--headers', headers, '--body', body, '--now', String(now)]);
    expect(result).toMatchObject({ status: 0, stdout: 'valid\n' });
  });

  it('prints the reason and exits 1 for a wrong secret or a stale timestamp', () => {
    const wrong = runCli(['webhook', 'verify', '--vendor', 'persona', '--secret', 'wbhsec_other', '--headers', headers, '--body', body, '--now', String(now)]);
    expect(wrong.status).toBe(1);
    expect(wrong.stdout).toMatch(/signature does not match/);
    const stale = runCli([
      'webhook',
      'verify',
      '--vendor',
      'persona',
      '--secret',
      'wbhsec_abc',
      '--headers',
      headers,
      '--body',
      body,
      '--now',
      String(now + 301),
    ]);
    expect(stale.status).toBe(1);
    expect(stale.stdout).toMatch(/timestamp/);
  });

  it('exits 2 with a one-line error for unreadable or malformed input', () => {
    const missing = runCli(['webhook', 'verify', '--vendor', 'onfido', '--secret', 's', '--headers', path.join(dir, 'nope.json'), '--body', body]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/cannot read the headers file/);
    const notJson = runCli(['webhook', 'verify', '--vendor', 'onfido', '--secret', 's', '--headers', file('bad.json', '{"x": 1'), '--body', body]);
    expect(notJson.status).toBe(2);
    const badVendor = runCli(['webhook', 'verify', '--vendor', 'acme', '--secret', 's', '--headers', headers, '--body', body]);
    expect(badVendor.status).toBe(2);
  });
});
