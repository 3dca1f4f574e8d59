import { expect, test } from 'vitest';
import { platformErrorMessage } from '../../services/sources/http/platform-error-message.ts';
import { credentialSecrets, redactAll, redactUrlSecrets } from '../../services/sources/http/request-secrets.ts';

test("every value of a source's credentials is a secret, including the strings of a JSON credential", () => {
  const serviceAccount = JSON.stringify({ client_email: 'bot@project.iam.example', private_key: '-----BEGIN PRIVATE KEY-----abc' });
  const secrets = credentialSecrets({ apiKey: 'k-1234', serviceAccountJson: serviceAccount, pin: '12' });
  expect(secrets).toContain('k-1234');
  expect(secrets).toContain(serviceAccount);
  expect(secrets).toContain('-----BEGIN PRIVATE KEY-----abc');
  // Too short to be told apart from ordinary words.
  expect(secrets).not.toContain('12');
});

test('credentials written into URLs are redacted whoever they belong to', () => {
  expect(redactUrlSecrets('GET https://api.example/v1?key=AIzaSy123&q=pizza failed')).toBe('GET https://api.example/v1?key=[redacted]&q=pizza failed');
  expect(redactUrlSecrets('see https://x.example/?access_token=abc.def#frag')).toBe('see https://x.example/?access_token=[redacted]#frag');
  expect(redactUrlSecrets('proxy https://user:hunter2@proxy.example/path')).toBe('proxy https://[redacted]@proxy.example/path');
  expect(redactUrlSecrets('an error_code=7 stays')).toBe('an error_code=7 stays');
});

test('redactAll scrubs known secrets and URL secrets in one pass', () => {
  const text = `<html>bad key k-1234 for https://p.example/x?api_key=k-1234</html>`;
  const redacted = redactAll(text, ['k-1234']);
  expect(redacted).not.toContain('k-1234');
  expect(redacted).toBe('<html>bad key [redacted] for https://p.example/x?api_key=[redacted]</html>');
});

test("a platform's error explanation loses control characters and half emoji, so it reads on one line and can be stored", () => {
  const body = JSON.stringify({ error: { status: 'UNAVAILABLE', message: 'backend\u0000 down\nnow \uD83D' } });
  expect(platformErrorMessage(body)).toBe('UNAVAILABLE: backend  down now \uFFFD');
});
