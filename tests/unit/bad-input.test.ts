import { findInternals } from "../bad-input/findings";
import { MEDIA_ROUTE, appRoutes, matchRoute, routeFromFile, routePath } from "../bad-input/routes";

/** The bad-input walk's own parts: how it reads route files as addresses, and what it calls internals. */
describe("route files as addresses", () => {
  it("reads flat-route names as Remix does", () => {
    expect(routePath(routeFromFile("administration.personer[.]csv.ts"), {})).toBe("/administration/personer.csv");
    expect(routeFromFile("_index.tsx")).toMatchObject({ index: true, segments: [] });
    expect(routePath(routeFromFile("ejer.studie.kurser.$courseId._index/route.tsx"), { courseId: "7" })).toBe(
      "/ejer/studie/kurser/7",
    );
    expect(routeFromFile("ejer.studie.kurser.$courseId._index/route.tsx").index).toBe(true);
    expect(routeFromFile("media.$token.$.ts").params).toEqual(["token", "*"]);
    // A folder route is named by its folder; the route module inside adds nothing to the address.
    expect(routePath(routeFromFile("administration._index/route.tsx"), {})).toBe("/administration");
    expect(routeFromFile("administration._index/route.tsx").index).toBe(true);
    expect(routePath(routeFromFile("administration.kommune/route.tsx"), {})).toBe("/administration/kommune");
    expect(routeFromFile("log-ud.tsx", "export async function action() {}")).toMatchObject({
      hasAction: true,
      hasPage: false,
    });
  });

  it("matches an address to the route Remix would pick", () => {
    const routes = appRoutes();
    const file = (pathname: string) => matchRoute(routes, pathname)?.route.file;
    expect(file("/")).toBe("_index.tsx");
    expect(file("/administration/personer.csv")).toBe("administration.personer[.]csv.ts");
    expect(file("/kurser/et-kursus/feedback")).toBe("kurser.$courseSlug.feedback/route.tsx");
    expect(file("/kurser/et-kursus/et-modul")).toBe("kurser.$courseSlug.$moduleSlug._index.tsx");
    expect(matchRoute(routes, "/media/token/v1/720p/segment.ts")).toEqual({
      route: expect.objectContaining({ file: MEDIA_ROUTE }),
      params: { token: "token", "*": "v1/720p/segment.ts" },
    });
    expect(file("/findes/ikke/her")).toBeUndefined();
  });

  it("finds every route file again from its own address", () => {
    const routes = appRoutes();
    expect(routes.length).toBeGreaterThan(40);
    const lost = routes.filter((route) => {
      const params = Object.fromEntries(route.params.map((name) => [name, name === "*" ? "v1/master.m3u8" : "p1"]));
      return matchRoute(routes, routePath(route, params))?.route.file !== route.file;
    });
    expect(lost.map((route) => route.file)).toEqual([]);
  });
});

describe("internals in a body", () => {
  const stack =
    "Error: boom\n    at loader (/srv/rettidig/build/index.js:1234:15)\n    at async callRouteLoader (file:///srv/node_modules/@remix-run/server-runtime/dist/data.js:37:16)";

  it("finds stack traces, as text and inside a page's escaped data", () => {
    expect(findInternals(`<pre>${stack}</pre>`)?.label).toBe("stack trace");
    expect(findInternals(JSON.stringify({ message: "boom", trace: stack }))?.label).toBe("stack trace");
  });

  it("finds SQL errors, source paths and validation dumps", () => {
    expect(findInternals("SqliteError: UNIQUE constraint failed: users.email")?.label).toBe("SQL error");
    expect(findInternals("no such column: seats.foo")?.label).toBe("SQL error");
    expect(findInternals("see /app/routes/administration._index.tsx")?.label).toBe("source path");
    expect(findInternals('{"formErrors":[],"fieldErrors":{"email":["Expected string, received null"]}}')?.label).toBe(
      "zod dump",
    );
    expect(findInternals('{"issues":[{"code":"invalid_type","path":["email"]}]}')?.label).toBe("zod dump");
    expect(findInternals("TypeError: Cannot read properties of undefined (reading 'id')")?.label).toBe("error text");
  });

  it("leaves ordinary pages alone, Danish 'at' and message keys included", () => {
    const page = `<main><h1>Mine kurser</h1>\n    <p>Lær at opdage omsorgssvigt tidligt og at handle på det.</p>\n    at 12:30 mødes vi.</main>
      <script>window.__remixContext = {"state":{"actionData":{"result":{"status":"error","error":{"email":["validation.email"]}}}}};</script>
      <link rel="modulepreload" href="/assets/routes/administration._index-ABC123.js"/>`;
    expect(findInternals(page)).toBeNull();
  });
});
