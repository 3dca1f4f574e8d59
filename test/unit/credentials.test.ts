import { expect, test } from 'vitest';
import { CredentialsDecryptionError, decryptCredentials, deriveCredentialsKey, encryptCredentials } from '../../services/sources/credentials.ts';

const key = deriveCredentialsKey('a-secret-of-at-least-thirty-two-characters');

test('credentials round-trip and never appear in the ciphertext', () => {
  const envelope = encryptCredentials(key, 'source-1', { apiKey: 'AIzaSyVerySecret' });
  expect(envelope).not.toContain('AIzaSyVerySecret');
  expect(decryptCredentials(key, 'source-1', envelope)).toEqual({ apiKey: 'AIzaSyVerySecret' });
  expect(encryptCredentials(key, 'source-1', { apiKey: 'AIzaSyVerySecret' })).not.toBe(envelope);
});

test('a ciphertext moved to another source, or read with another secret, does not decrypt', () => {
  const envelope = encryptCredentials(key, 'source-1', { apiKey: 'x' });
  expect(() => decryptCredentials(key, 'source-2', envelope)).toThrow(CredentialsDecryptionError);
  expect(() => decryptCredentials(deriveCredentialsKey('another-secret-of-thirty-two-characters!'), 'source-1', envelope)).toThrow(/EARSHOT_SECRET/);
});
