/**
 * Slows down password guessing: after too many wrong passwords for one e-mail address within
 * the window, that address cannot sign in until the window has passed. Kept in memory, which
 * suits the one-process SQLite deployment; a restart forgets it.
 */
const MAX_FAILURES = 10;
const WINDOW_MS = 15 * 60 * 1000;

const failures = new Map<string, number[]>();

function recent(key: string, now: number) {
  const times = (failures.get(key) ?? []).filter((time) => now - time < WINDOW_MS);
  if (times.length === 0) failures.delete(key);
  else failures.set(key, times);
  return times;
}

export function isSignInBlocked(email: string, now = Date.now()) {
  return recent(email, now).length >= MAX_FAILURES;
}

export function recordSignInFailure(email: string, now = Date.now()) {
  failures.set(email, [...recent(email, now), now]);
}

export function clearSignInFailures(email: string) {
  failures.delete(email);
}
