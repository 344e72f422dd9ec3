import { clearSignInFailures, isSignInBlocked, recordSignInFailure } from "~/auth/sign-in-throttle.server";

describe("the sign-in throttle", () => {
  const email = "throttle@demo-kommune.dk";
  const start = Date.UTC(2026, 0, 1, 8, 0, 0);

  it("blocks after ten failures within a quarter of an hour and lets go afterwards", () => {
    for (let i = 0; i < 9; i++) recordSignInFailure(email, start + i * 1000);
    expect(isSignInBlocked(email, start + 10_000)).toBe(false);
    recordSignInFailure(email, start + 10_000);
    expect(isSignInBlocked(email, start + 11_000)).toBe(true);
    expect(isSignInBlocked(email, start + 15 * 60 * 1000 + 10_001)).toBe(false);
  });

  it("forgets failures after a successful sign-in", () => {
    for (let i = 0; i < 10; i++) recordSignInFailure(email, start);
    expect(isSignInBlocked(email, start + 1)).toBe(true);
    clearSignInFailures(email);
    expect(isSignInBlocked(email, start + 2)).toBe(false);
  });
});
