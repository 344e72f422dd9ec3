import { DEMO_PASSWORD, demoEmails } from "~/cli/seed/accounts";
import * as signIn from "~/routes/log-ind/route";
import * as language from "~/routes/sprog";
import { safeRedirectPath } from "~/utils/http.server";
import { formRequest, routeArgs, settle } from "../utils/requests";

/** Addresses a browser would leave the site for, if they came back unchanged in a Location header. */
const offSite = [
  "//evil.example",
  "/.//evil.example",
  "/..//evil.example",
  "/%2e//evil.example",
  "/%2E%2E//evil.example",
  "/./%2e/.//evil.example/x",
  "/\\evil.example",
  "/\t/evil.example",
  "https://evil.example",
  "javascript:alert(1)",
  " /kurser",
];

/** Whether a browser on the site, following this Location, would stay on the site. */
const staysOnSite = (location: string) => new URL(location, "https://rettidig.dk/a/b").origin === "https://rettidig.dk";

describe("safeRedirectPath", () => {
  it.each(offSite)("sends %j to the fallback, never off the site", (value) => {
    const path = safeRedirectPath(value, "/kurser");
    expect(path).toBe("/kurser");
  });

  it("keeps a path on the site, with its query and hash", () => {
    expect(safeRedirectPath("/kurser/i-skolen-og-fritiden?x=1#film-2")).toBe("/kurser/i-skolen-og-fritiden?x=1#film-2");
    expect(safeRedirectPath("/administration/../kurser")).toBe("/kurser");
  });

  it("never returns a path a browser would read as another host, whatever it is given", () => {
    const pieces = ["/", "//", ".", "..", "%2e", "%2E", "%2f", "\\", "evil.example", "?", "#", "@", ":"];
    let tried = 0;
    for (const a of pieces)
      for (const b of pieces)
        for (const c of pieces) {
          const path = safeRedirectPath(`/${a}${b}${c}`);
          tried += 1;
          expect(staysOnSite(path), `/${a}${b}${c} → ${path}`).toBe(true);
          expect(path.startsWith("/") && !path.startsWith("//"), `/${a}${b}${c} → ${path}`).toBe(true);
        }
    expect(tried).toBe(pieces.length ** 3);
  });
});

describe("redirects after sign-in and after choosing a language", () => {
  it.each(offSite)("the language switch sends %j home", async (redirectTo) => {
    const response = await settle(() =>
      language.action(routeArgs(formRequest("/sprog", { language: "en", redirectTo }))),
    );
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/");
  });

  it.each(["/.//evil.example", "/..//evil.example", "/%2e//evil.example"])(
    "signing in with redirectTo %j lands on the course list",
    async (redirectTo) => {
      const response = await settle(() =>
        signIn.action(
          routeArgs(formRequest("/log-ind", { email: demoEmails.leader, password: DEMO_PASSWORD, redirectTo })),
        ),
      );
      expect(response.status).toBe(302);
      expect(response.headers.get("Location")).toBe("/kurser");
    },
  );

  it("signing in still returns the person to the page they asked for", async () => {
    const response = await settle(() =>
      signIn.action(
        routeArgs(
          formRequest("/log-ind", {
            email: demoEmails.leader,
            password: DEMO_PASSWORD,
            redirectTo: "/leder?unit=2",
          }),
        ),
      ),
    );
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/leder?unit=2");
  });
});
