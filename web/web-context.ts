import type { Config } from '../config/config.ts';
import type { SignInLimits } from '../services/people/sign-in.ts';

/** Cookies are Secure whenever Earshot is reached over https. */
export function secureCookies(config: Config): boolean {
  return config.publicUrl.startsWith('https:');
}

export function signInLimits(config: Config): SignInLimits {
  return {
    idleHours: config.sessionIdleHours,
    maxDays: config.sessionMaxDays,
    failuresPerEmail: config.signInFailuresPerEmail,
    failuresPerAddress: config.signInFailuresPerAddress,
  };
}
