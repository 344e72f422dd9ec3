/**
 * The attempt limit, shared by the server and the pages: every allowed attempt used. Never true
 * for a quiz without a limit. Which attempts count is countsAgainstLimit in completion.server,
 * and attemptsExhaustedInGroup there is this rule for a query.
 */
export function attemptsExhausted({
  attemptsUsed,
  maxAttempts,
}: {
  attemptsUsed: number;
  maxAttempts: number | null;
}): boolean {
  return maxAttempts != null && attemptsUsed >= maxAttempts;
}
