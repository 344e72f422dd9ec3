import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { count } from "drizzle-orm";
import { rateLimits } from "#db/schema";
import { consumeAllowance, refundAllowance, resetAllowance } from "~/auth/rate-limits.server";
import { db } from "~/db.server";
import { projectRoot } from "../setup/paths";

// After every real clock reading, so counters written at real time by the other tests have expired by then.
const start = new Date("2030-03-04T08:00:00Z");
const minutes = (n: number) => new Date(start.getTime() + n * 60_000);

async function consumeTimes(kind: Parameters<typeof consumeAllowance>[0], key: string, times: number) {
  const answers: boolean[] = [];
  for (let i = 0; i < times; i++) answers.push(await consumeAllowance(kind, key));
  return answers;
}

const rows = () => db.select({ n: count() }).from(rateLimits).get()!.n;

afterEach(() => vi.useRealTimers());

describe("allowances", () => {
  it("lets an address make ten sign-in attempts a quarter of an hour, then refuses until the window has passed", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: start });
    expect(await consumeTimes("signInAddress", "anne@demo-kommune.dk", 11)).toEqual([...Array(10).fill(true), false]);
    vi.setSystemTime(minutes(14.9));
    expect(await consumeAllowance("signInAddress", "anne@demo-kommune.dk")).toBe(false);
    vi.setSystemTime(minutes(15.1));
    expect(await consumeAllowance("signInAddress", "anne@demo-kommune.dk")).toBe(true);
  });

  it("counts each kind and each key on its own", async () => {
    expect(await consumeTimes("passwordResetMail", "bo@demo-kommune.dk", 4)).toEqual([true, true, true, false]);
    expect(await consumeAllowance("passwordResetMail", "carl@demo-kommune.dk")).toBe(true);
    expect(await consumeAllowance("invitationMail", "bo@demo-kommune.dk")).toBe(true);
  });

  it("forgets a key's attempts on reset, and gives one back on refund", async () => {
    await consumeTimes("joinLinkRequest", "dorte@demo-kommune.dk", 3);
    expect(await consumeAllowance("joinLinkRequest", "dorte@demo-kommune.dk")).toBe(false);
    await resetAllowance("joinLinkRequest", "dorte@demo-kommune.dk");
    expect(await consumeTimes("joinLinkRequest", "dorte@demo-kommune.dk", 3)).toEqual([true, true, true]);
    await refundAllowance("joinLinkRequest", "dorte@demo-kommune.dk");
    expect(await consumeTimes("joinLinkRequest", "dorte@demo-kommune.dk", 2)).toEqual([true, false]);
  });

  it("admits exactly the allowance when the attempts arrive all at once", async () => {
    const answers = await Promise.all(
      Array.from({ length: 40 }, () => consumeAllowance("signInAddress", "samtidig@demo-kommune.dk")),
    );
    expect(answers.filter(Boolean)).toHaveLength(10);
  });
});

describe("storage", () => {
  it("keeps the counts in the database, where another process sees them", async () => {
    expect(await consumeTimes("passwordResetMail", "delt@demo-kommune.dk", 2)).toEqual([true, true]);
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        "--import",
        "tsx",
        path.join(projectRoot, "tests/unit/rate-limit-process.ts"),
        "passwordResetMail",
        "delt@demo-kommune.dk",
        "2",
      ],
      { cwd: projectRoot, env: process.env },
    );
    expect(JSON.parse(stdout)).toEqual([true, false]);
    expect(await consumeAllowance("passwordResetMail", "delt@demo-kommune.dk")).toBe(false);
  }, 60_000);

  it("deletes expired counters as new ones are written, so the table stays bounded", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: start });
    for (let i = 0; i < 30; i++) await consumeAllowance("signInClient", `10.0.0.${i}`);
    const before = rows();
    expect(before).toBeGreaterThanOrEqual(30);
    vi.setSystemTime(minutes(16));
    await consumeAllowance("signInClient", "10.0.1.1");
    expect(rows()).toBeLessThanOrEqual(before - 30 + 1);
    vi.setSystemTime(minutes(24 * 60 + 1));
    await consumeAllowance("signInClient", "10.0.1.2");
    expect(rows()).toBe(1);
  });
});
