import { json } from "@remix-run/node";
import { createElement } from "react";
import { escapeHtml, renderRoute } from "../utils/render-route";
import { jsonOf, request, settle } from "../utils/requests";
import { parseXml } from "../utils/xml";

/**
 * The shared test helpers are what many tests' verdicts rest on: each must fail loudly when the
 * thing it reads is not what the test thinks it is, never hand back something that passes.
 */
describe("renderRoute", () => {
  const page = (loader: () => unknown) => ({
    loader: async () => {
      const result = await loader();
      if (result instanceof Response) return result;
      throw new Error("the loaders here answer with a Response");
    },
    default: () => createElement("h1", null, "Kursets side"),
  });

  it("renders the page a loader allows", async () => {
    const { html, context } = await renderRoute(
      page(() => json({ ok: true })),
      "/side",
      request("/side"),
    );
    expect(context.statusCode).toBe(200);
    expect(html).toContain(escapeHtml("Kursets side"));
  });

  it("fails when the loader refuses, instead of rendering an error page any negative assertion would accept", async () => {
    const refusing = page(() => {
      throw json({ message: "error.forbidden" }, { status: 403 });
    });
    await expect(renderRoute(refusing, "/side", request("/side"))).rejects.toThrow(/answered 403/);
  });

  it("fails when the loader redirects", async () => {
    const redirecting = page(() => new Response(null, { status: 302, headers: { Location: "/log-ind" } }));
    await expect(renderRoute(redirecting, "/side", request("/side"))).rejects.toThrow(/answered 302/);
  });
});

describe("jsonOf", () => {
  it("reads the body of a response with the expected status", async () => {
    expect(await jsonOf<{ courses: string[] }>(json({ courses: ["a"] }))).toEqual({ courses: ["a"] });
    expect(await jsonOf<{ message: string }>(json({ message: "x" }, { status: 404 }), 404)).toEqual({ message: "x" });
  });

  it("fails on any other status, even when the body looks like the data", async () => {
    const refusal = await settle(() => {
      throw json({ courses: [] }, { status: 403 });
    });
    await expect(jsonOf(refusal)).rejects.toThrow(/Expected 200, got 403/);
  });
});

describe("settle", () => {
  it("hands back thrown responses and rethrows everything else", async () => {
    expect((await settle(() => Promise.reject(json({}, { status: 409 })))).status).toBe(409);
    await expect(settle(() => Promise.reject(new TypeError("boom")))).rejects.toThrow("boom");
    await expect(settle(() => ({ plain: "data" }))).rejects.toThrow(/Expected a Response/);
  });
});

describe("parseXml", () => {
  const document = (text: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<Invoice><Note>${text}</Note></Invoice>`;

  it("reads well-formed text, with entities and the characters XML allows", () => {
    expect(parseXml(document("Børn &amp; unge\tæøå 😀")).children[0]!.text).toBe("Børn & unge\tæøå 😀");
  });

  it.each([
    ["a vertical tab", "a\u000Bb", /U\+000B/],
    ["NUL", "a\u0000b", /U\+0000/],
    ["U+FFFE", "a\uFFFEb", /U\+FFFE/],
    ["a lone surrogate", "a\uD800b", /U\+D800/],
    ["a bare ampersand", "a & b", /unescaped markup/],
    ["an unescaped >", "a > b", /unescaped markup/],
  ])("refuses %s, which makes the document malformed", (_, text, problem) => {
    expect(() => parseXml(document(text))).toThrow(problem);
  });

  it("refuses a bare ampersand in an attribute", () => {
    expect(() => parseXml(`<Invoice><Amount currencyID="D&K">1</Amount></Invoice>`)).toThrow(
      /unescaped markup in attribute currencyID/,
    );
  });
});
