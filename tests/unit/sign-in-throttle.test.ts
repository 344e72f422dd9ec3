import { DEMO_PASSWORD, demoEmails } from "~/cli/seed/accounts";
import type * as passwords from "~/auth/password.server";
import * as signIn from "~/routes/log-ind/route";
import { renderRoute } from "../utils/render-route";
import { formRequest, routeArgs, settle, testContext } from "../utils/requests";

// Every password check the sign-in makes is counted, so the tests can see how many guesses reach argon2.
const checks = vi.hoisted(() => ({ verify: 0, decoy: 0 }));
vi.mock("~/auth/password.server", async (importOriginal) => {
  const original = await importOriginal<typeof passwords>();
  return {
    ...original,
    verifyPassword: (hash: string, password: string) => {
      checks.verify++;
      return original.verifyPassword(hash, password);
    },
    spendVerifyTime: (password: string) => {
      checks.decoy++;
      return original.spendVerifyTime(password);
    },
  };
});

const passwordChecks = () => checks.verify + checks.decoy;

const attempt = (email: string, password: string, client: string) =>
  settle(() =>
    signIn.action(routeArgs(formRequest("/log-ind", { email, password, redirectTo: "" }), {}, testContext(client))),
  );

const refusalIn = async (response: Response) =>
  ((await response.json()) as { result: { error?: Record<string, string[]> } }).result.error?.[""];

afterEach(() => vi.useRealTimers());

describe("the sign-in throttle", () => {
  it("lets at most ten of 60 parallel wrong guesses for one address reach the password check", async () => {
    const before = passwordChecks();
    const responses = await Promise.all(
      Array.from({ length: 60 }, (_, i) => attempt(demoEmails.learner, `gæt-${i}`, "192.0.2.10")),
    );
    expect(passwordChecks() - before).toBeLessThanOrEqual(10);
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(10);
    expect(statuses.filter((status) => status === 429)).toHaveLength(50);
    const refused = responses.find((response) => response.status === 429)!;
    expect(await refusalIn(refused)).toEqual(["signIn.tooMany"]);
    // The right password is refused too until the window has passed, and costs no check.
    const right = await attempt(demoEmails.learner, DEMO_PASSWORD, "192.0.2.11");
    expect(right.status).toBe(429);
    expect(passwordChecks() - before).toBeLessThanOrEqual(10);
  });

  it("shows the refusal in Danish above the sign-in form", async () => {
    for (let i = 0; i < 10; i++) expect((await attempt(demoEmails.leader, `gæt-${i}`, "192.0.2.20")).status).toBe(401);
    // renderRoute speaks from the tests' default client, which has made no attempts.
    const { html, context } = await renderRoute(
      signIn,
      "/log-ind",
      formRequest("/log-ind", { email: demoEmails.leader, password: "x", redirectTo: "" }),
    );
    expect(context.statusCode).toBe(429);
    const alert = /<p[^>]*role="alert"[^>]*>([^<]*)<\/p>/.exec(html);
    expect(alert?.[1]).toBe("For mange forsøg. Vent et kvarter, og prøv igen.");
    expect(html.indexOf(alert![0])).toBeLessThan(html.indexOf('name="email"'));
  });

  it("stops one client guessing across many addresses with the per-client limit", async () => {
    const before = passwordChecks();
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++)
      statuses.push((await attempt(`person${i}@demo-kommune.dk`, "gæt", "198.51.100.7")).status);
    expect(statuses.slice(0, 50)).toEqual(Array(50).fill(401));
    expect(statuses.slice(50)).toEqual(Array(10).fill(429));
    expect(passwordChecks() - before).toBe(50);
    // The addresses themselves are not locked: someone else may still try them.
    expect((await attempt("person55@demo-kommune.dk", "gæt", "198.51.100.8")).status).toBe(401);
  });

  it("does not count colleagues who sign in correctly behind one shared address", async () => {
    for (let i = 0; i < 55; i++) {
      const response = await attempt(demoEmails.healthVisitor, DEMO_PASSWORD, "203.0.113.5");
      expect(response.status).toBe(302);
    }
    expect((await attempt(demoEmails.healthVisitor, "forkert", "203.0.113.5")).status).toBe(401);
  }, 60_000);

  it("clears an address's wrong guesses when the right password is given", async () => {
    for (let i = 0; i < 9; i++) expect((await attempt(demoEmails.admin, `gæt-${i}`, "192.0.2.30")).status).toBe(401);
    expect((await attempt(demoEmails.admin, DEMO_PASSWORD, "192.0.2.30")).status).toBe(302);
    for (let i = 0; i < 9; i++) expect((await attempt(demoEmails.admin, `gæt-${i}`, "192.0.2.30")).status).toBe(401);
  });

  it("lets the address try again once the quarter of an hour has passed", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2030-05-01T08:00:00Z") });
    for (let i = 0; i < 10; i++) expect((await attempt(demoEmails.owner, `gæt-${i}`, "192.0.2.40")).status).toBe(401);
    expect((await attempt(demoEmails.owner, DEMO_PASSWORD, "192.0.2.40")).status).toBe(429);
    vi.setSystemTime(new Date("2030-05-01T08:15:01Z"));
    expect((await attempt(demoEmails.owner, DEMO_PASSWORD, "192.0.2.40")).status).toBe(302);
  });
});
