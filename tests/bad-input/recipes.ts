import type { Persona } from "../integration/route-roles/checks";
import type { BadInputClient, Probe } from "./client";
import { MEDIA_ROUTE } from "./routes";
import { BAD_FILES, BROKEN_MULTIPART, CONTROL, EMOJI, LONG, fileValue } from "./inputs";

/**
 * Routes that no HTML form posts to, because a script on the page talks to them (the player's
 * progress reports, the film upload in pieces) or another service does (Stripe), get their
 * bad input here, shaped like what those callers send. A new route of that kind needs a recipe:
 * the test fails for an action route that no form and no recipe reached.
 */
export type RecipeContext = {
  client: BadInputClient;
  role: Persona;
  /** The route's address with real params. */
  path: string;
  /** Media addresses the run has seen on any page, any role's. */
  media: string[];
};

const json = (data: string, what: string, path: string, role: Persona): Probe => ({
  role,
  method: "POST",
  path,
  body: { kind: "raw", contentType: "application/json", data },
  what,
});

const progressReports = [
  ["empty body", ""],
  ["not JSON", "ikke json"],
  ["null", "null"],
  ["array", "[]"],
  ["object", "{}"],
  ["unknown view", JSON.stringify({ viewId: "ukendt", ranges: [[0, 10]], positionSeconds: 10, ended: false })],
  ["viewId 10,000 chars", JSON.stringify({ viewId: LONG, ranges: [[0, 1]], positionSeconds: 1 })],
  ["viewId control chars + NUL", JSON.stringify({ viewId: CONTROL, ranges: [[0, 1]], positionSeconds: 1 })],
  ["viewId emoji", JSON.stringify({ viewId: EMOJI, ranges: [[0, 1]], positionSeconds: 1 })],
  ["numbers out of range", '{"viewId":"x","ranges":[[-1e308,1e308]],"positionSeconds":1e309}'],
  ["reversed range", JSON.stringify({ viewId: "x", ranges: [[50, 10]], positionSeconds: -5 })],
  ["strings for numbers", JSON.stringify({ viewId: "x", ranges: [["a", "b"]], positionSeconds: "1" })],
  [
    "2,001 ranges",
    JSON.stringify({ viewId: "x", ranges: Array.from({ length: 2001 }, (_, i) => [i, i + 1]), positionSeconds: 1 }),
  ],
  ["deep nesting", `{"viewId":"x","ranges":${"[".repeat(5000)}${"]".repeat(5000)}}`],
  ["duplicated keys", '{"viewId":"x","viewId":"y","ranges":[],"positionSeconds":0}'],
  ["over 64 KiB", JSON.stringify({ viewId: "x", ranges: [], positionSeconds: 0, pad: "x".repeat(70_000) })],
] as const;

const stripeEvent = JSON.stringify({
  id: "evt_fuzz",
  object: "event",
  type: "invoice.paid",
  data: { object: { id: "in_fuzz", metadata: { invoiceId: "1" } } },
});

async function filmInPieces({ client, role, path }: RecipeContext) {
  const start = (fields: Record<string, string>, what: string): Probe => ({
    role,
    method: "POST",
    path: `${path}?trin=start`,
    body: { kind: "multipart", entries: Object.entries(fields) },
    what: `start: ${what}`,
  });
  const badStarts = [
    [{ filmName: "film.mp4", filmSize: "-1" }, "size -1"],
    [{ filmName: "film.mp4", filmSize: "0" }, "size 0"],
    [{ filmName: "film.mp4", filmSize: "1e3" }, "size 1e3"],
    [{ filmName: "film.mp4", filmSize: "99999999999999999" }, "size far over the limit"],
    [{ filmName: "film.mp4", filmSize: LONG }, "size 10,000 chars"],
    [{ filmName: LONG, filmSize: "100" }, "name 10,000 chars"],
    [{ filmName: CONTROL, filmSize: "100" }, "name control chars + NUL"],
    [{ filmName: EMOJI, filmSize: "100" }, "name emoji"],
    [{ filmName: "../../../etc/passwd", filmSize: "100" }, "name with dot segments"],
    [{ filmSize: "100" }, "name missing"],
    [{}, "nothing"],
  ] as const;
  await client.all([
    ...badStarts.map(([fields, what]) => start(fields, what)),
    ...BROKEN_MULTIPART.map((broken): Probe => ({
      role,
      method: "POST",
      path: `${path}?trin=start`,
      body: { kind: "raw", contentType: broken.contentType, data: broken.body },
      what: `start: ${broken.label}`,
    })),
    json('{"filmName":"film.mp4","filmSize":"100"}', "start: JSON", `${path}?trin=start`, role),
    ...["", "ukendt", LONG, CONTROL].map((step): Probe => ({
      role,
      method: "POST",
      path: `${path}?trin=${encodeURIComponent(step)}`,
      what: `step ${step.slice(0, 20)}`,
    })),
    ...["", "a".repeat(32).replace(/a$/, "!"), LONG, "..%2F..%2Fx", "%00"].flatMap((upload): Probe[] =>
      ["del", "afslut", "annuller"].map((step) => ({
        role,
        method: "POST",
        path: `${path}?trin=${step}&upload=${upload}&fra=0`,
        what: `${step} of upload ${upload.slice(0, 20)}`,
      })),
    ),
  ]);

  // A text file sent as a film in pieces: the first piece must be refused for what it holds.
  const text = "Dette er en tekstfil, ikke en film. ".repeat(40);
  const started = await client.one(
    start({ filmName: "film.mp4", filmSize: String(text.length) }, "a text file named .mp4"),
  );
  const uploadId =
    started?.status === 200 && started.text ? (JSON.parse(started.text) as { uploadId?: string }).uploadId : undefined;
  if (!uploadId) return;
  const piece = (from: string, data: string, what: string): Probe => ({
    role,
    method: "POST",
    path: `${path}?trin=del&upload=${uploadId}&fra=${encodeURIComponent(from)}`,
    body: { kind: "raw", contentType: "application/octet-stream", data },
    what: `piece: ${what}`,
  });
  await client.all(
    [
      piece("", "x", "no offset"),
      piece("-1", "x", "offset -1"),
      piece("abc", "x", "offset abc"),
      piece("99999999999999999999", "x", "offset out of range"),
      piece("5", "x", "a gap"),
    ],
    1,
  );
  await client.all([piece("0", text.slice(0, 20), "first bytes of the text file")], 1);
  await client.all(
    [
      { role, method: "POST", path: `${path}?trin=afslut&upload=${uploadId}`, what: "finish a half-sent text file" },
      piece("20", text.slice(20), "the rest of the text file"),
      { role, method: "POST", path: `${path}?trin=afslut&upload=${uploadId}`, what: "finish the text file" },
      { role, method: "POST", path: `${path}?trin=annuller&upload=${uploadId}`, what: "cancel" },
    ],
    1,
  );
}

/**
 * What a directory's SCIM client sends, without the municipality's token (the walk has none):
 * every one must be a SCIM 401, whatever the method, header or body.
 */
async function scimCalls({ client, role, path }: RecipeContext) {
  const call = (method: string, what: string, authorization?: string, data?: string): Probe => ({
    role,
    method,
    path,
    ...(data !== undefined && { body: { kind: "raw", contentType: "application/scim+json", data } }),
    headers: authorization === undefined ? {} : { Authorization: authorization },
    origin: "none",
    what,
  });
  const person = JSON.stringify({ userName: "fuzz@demo-kommune.dk", active: "False" });
  await client.all([
    call("POST", "no token", undefined, person),
    call("POST", "a made-up bearer token", `Bearer ${"a".repeat(43)}`, person),
    call("PATCH", "a bearer token 10,000 chars long", `Bearer ${LONG}`, "{}"),
    call("PUT", "Basic instead of Bearer", "Basic YWRtaW46YWRtaW4=", person),
    call("DELETE", "a token with letters outside ASCII", "Bearer æøå"),
    call("POST", "not JSON", `Bearer ${"b".repeat(43)}`, "ikke json"),
    call("PATCH", "broken nesting", undefined, `{"Operations":${"[".repeat(5000)}`),
  ]);
}
const base64 = (xml: string) => Buffer.from(xml).toString("base64");

/** Answers no provider signed, as a provider's page would post them: from another site. */
const samlAnswers = [
  ["no SAMLResponse", null],
  ["empty SAMLResponse", ""],
  ["not base64", "ikke base64 æøå"],
  ["base64 of nothing XML", base64("ikke xml")],
  ["10,000 chars", LONG],
  ["control chars + NUL", CONTROL],
  [
    "a DOCTYPE with entities",
    base64(`<!DOCTYPE r [<!ENTITY a "${"x".repeat(1000)}">]><samlp:Response>&a;&a;</samlp:Response>`),
  ],
  [
    "an unsigned answer",
    base64(
      `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r" InResponseTo="_x" Version="2.0"><saml:Issuer>https://idp.example</saml:Issuer><saml:Assertion ID="_a"><saml:Issuer>https://idp.example</saml:Issuer></saml:Assertion></samlp:Response>`,
    ),
  ],
] as const;

/**
 * The seed has no measurement switched on, so the measurement page shows no form: the walk sends
 * what its two forms would, tampered, to each moment and to moments and onward addresses no link carries.
 */
async function measurementAnswers({ client, role, path }: RecipeContext) {
  const post = (query: string, entries: [string, string][], what: string): Probe => ({
    role,
    method: "POST",
    path: `${path}?${query}`,
    body: { kind: "urlencoded", entries },
    what,
  });
  const moments = ["foer", "slut", "opfoelgning", "leder", "", "ukendt", LONG, CONTROL];
  const onward = ["//evil.example", "https://evil.example/x", `/${LONG}`, CONTROL];
  await client.all([
    ...moments.map((moment) =>
      post(`tidspunkt=${encodeURIComponent(moment)}`, [["intent", "skip"]], `skip ${moment.slice(0, 12)}`),
    ),
    ...onward.map((next) =>
      post(
        `tidspunkt=foer&naeste=${encodeURIComponent(next)}`,
        [["intent", "skip"]],
        `skip on to ${next.slice(0, 20)}`,
      ),
    ),
    post(
      "tidspunkt=foer",
      [
        ["intent", "answer"],
        ["i1", "6"],
      ],
      "a value off the scale",
    ),
    post(
      "tidspunkt=slut",
      [
        ["intent", "answer"],
        ["i1", LONG],
        ["i99999999999999999999", "1"],
      ],
      "an answer 10,000 chars long to an item out of range",
    ),
    post("tidspunkt=foer", [["i1", "3"]], "no intent"),
    post("tidspunkt=foer", [["intent", "slet"]], "an intent the page has no form for"),
    post("tidspunkt=leder", [["intent", EMOJI]], "an emoji intent"),
  ]);
}

/**
 * The compliance overviews show a reminder button only beside someone past their deadline, and the
 * seed has no mandatory courses: the walk sends what the button would, tampered.
 */
async function remindOverdue({ client, role, path }: RecipeContext) {
  const remind = (entries: [string, string][], what: string): Probe => ({
    role,
    method: "POST",
    path,
    body: { kind: "urlencoded", entries },
    what,
  });
  await client.all([
    remind(
      [
        ["intent", "remind"],
        ["cycleId", "1"],
      ],
      "a round that does not exist",
    ),
    remind(
      [
        ["intent", "remind"],
        ["cycleId", "99999999999999999999"],
      ],
      "an id out of range",
    ),
    remind(
      [
        ["intent", "remind"],
        ["cycleId", "-1"],
      ],
      "a negative id",
    ),
    remind(
      [
        ["intent", "remind"],
        ["cycleId", LONG],
      ],
      "an id 10,000 chars long",
    ),
    remind(
      [
        ["intent", "remind"],
        ["cycleId", CONTROL],
      ],
      "control chars + NUL",
    ),
    remind(
      [
        ["intent", "remindAll"],
        ["cycleId", "1"],
      ],
      "an intent the page has no form for",
    ),
    remind([["cycleId", "1"]], "no intent"),
  ]);
}

/**
 * What the player and a meeting participant's page send by fetch or beacon: broken and hostile JSON
 * reports, a form, broken multipart. The meeting routes take the same reports (playback) or none (presence).
 */
const scriptedPosts = async ({ client, role, path }: RecipeContext) => {
  await client.all([
    ...progressReports.map(([what, data]) => json(data, what, path, role)),
    {
      role,
      method: "POST",
      path,
      body: { kind: "urlencoded", entries: [["viewId", "x"]] },
      what: "a form instead of JSON",
    },
    ...BROKEN_MULTIPART.map((broken): Probe => ({
      role,
      method: "POST",
      path,
      body: { kind: "raw", contentType: broken.contentType, data: broken.body },
      what: broken.label,
    })),
  ]);
};

export const recipes: Record<string, (context: RecipeContext) => Promise<void>> = {
  "api.progress.ts": scriptedPosts,
  "moede.$sessionId.afspilning.ts": scriptedPosts,
  "moede.$sessionId.tilstede.ts": scriptedPosts,
  "sso.$slug.saml.acs.tsx": async ({ client, role, path }) => {
    await client.all(
      samlAnswers.map(([what, value]): Probe => ({
        role,
        method: "POST",
        path,
        body: { kind: "urlencoded", entries: value === null ? [["RelayState", "x"]] : [["SAMLResponse", value]] },
        what,
        origin: "foreign",
      })),
    );
  },
  "webhooks.stripe.ts": async ({ client, role, path }) => {
    const signed = (signature: string, what: string): Probe => ({
      ...json(stripeEvent, what, path, role),
      headers: { "Stripe-Signature": signature },
      origin: "none",
    });
    await client.all([
      { ...json("", "empty body", path, role), origin: "none" },
      { ...json("ikke json", "not JSON", path, role), origin: "none" },
      { ...json(stripeEvent, "an event without a signature", path, role), origin: "none" },
      signed("t=1,v1=abc", "a made-up signature"),
      signed("t=abc,v1=", "a malformed signature"),
      signed(`t=${Math.floor(Date.now() / 1000)},v1=${"0".repeat(64)}`, "a current but wrong signature"),
      signed(LONG, "a signature 10,000 chars long"),
      // Header values are bytes; Latin-1 letters are as far from ASCII as a header can go.
      signed("t=1,v1=æøå", "a signature with letters outside ASCII"),
      { ...json(`{"id":${"[".repeat(5000)}`, "broken nesting", path, role), origin: "none" },
    ]);
  },
  // Nobody waits for a seat in the seed, so the page shows no buttons: the walk sends what they would, tampered.
  "administration.pladsanmodninger.tsx": async ({ client, role, path }) => {
    const answer = (entries: [string, string][], what: string): Probe => ({
      role,
      method: "POST",
      path,
      body: { kind: "urlencoded", entries },
      what,
    });
    await client.all([
      answer(
        [
          ["intent", "approve"],
          ["requestId", "1"],
        ],
        "approve a request that does not exist",
      ),
      answer(
        [
          ["intent", "decline"],
          ["requestId", "99999999999999999999"],
        ],
        "decline an id out of range",
      ),
      answer(
        [
          ["intent", "approve"],
          ["requestId", "-1"],
        ],
        "a negative id",
      ),
      answer(
        [
          ["intent", "approve"],
          ["requestId", LONG],
        ],
        "an id 10,000 chars long",
      ),
      answer(
        [
          ["intent", "grant"],
          ["requestId", "1"],
        ],
        "an intent the page has no form for",
      ),
      answer([["requestId", "1"]], "no intent"),
      answer(
        [
          ["intent", "approve"],
          ["requestId", CONTROL],
        ],
        "control chars + NUL",
      ),
    ]);
  },
  "ejer.studie.moduler.$moduleId.film.dele.ts": filmInPieces,
  "administration.obligatorisk.overblik/route.tsx": remindOverdue,
  "kurser.$courseSlug.maaling/route.tsx": measurementAnswers,
  "leder_.obligatorisk_.overblik/route.tsx": remindOverdue,
  "scim.$slug.v2.Users.ts": scimCalls,
  "scim.$slug.v2.Users_.$id.ts": scimCalls,
  "scim.$slug.v2.Groups.ts": scimCalls,
  "scim.$slug.v2.Groups_.$id.ts": scimCalls,
  "scim.$slug.v2.ServiceProviderConfig.ts": scimCalls,
  "ejer.studie.moduler.$moduleId.film.overfoersel.ts": async ({ client, role, path }) => {
    const probes: Probe[] = [];
    for (const intent of ["film", "subtitles", "described", "ukendt", ""]) {
      for (const file of BAD_FILES)
        probes.push({
          role,
          method: "POST",
          path,
          body: {
            kind: "multipart",
            entries: [
              ["intent", intent],
              [intent || "film", file],
            ],
          },
          what: `${intent || "no intent"}: ${file.name.slice(0, 30)}`,
        });
      probes.push({
        role,
        method: "POST",
        path,
        body: {
          kind: "multipart",
          entries: [
            ["intent", intent],
            [intent || "film", fileValue("", "application/octet-stream", "")],
          ],
        },
        what: `${intent || "no intent"}: no file`,
      });
    }
    await client.all(probes);
  },
  [MEDIA_ROUTE]: async ({ client, role, media }) => {
    const probes: Probe[] = [];
    for (const address of media.slice(0, 2)) {
      const folder = address.slice(0, address.lastIndexOf("/"));
      for (const range of [
        "bytes=abc",
        "bytes=999999999999-",
        "bytes=5-1",
        "bytes=-0",
        Array.from({ length: 200 }, (_, i) => `${i}-${i}`)
          .join(",")
          .replace(/^/, "bytes="),
        `bytes=${LONG}`,
      ]) {
        probes.push({
          role,
          method: "GET",
          path: address,
          headers: { Range: range },
          what: `Range ${range.slice(0, 30)}`,
        });
      }
      for (const file of [
        "..%2F..%2F..%2Fetc%2Fpasswd",
        "master.m3u8%00.jpg",
        LONG,
        encodeURIComponent(EMOJI),
        "%E0%A4%A",
      ]) {
        probes.push({ role, method: "GET", path: `${folder}/${file}`, what: `file ${file.slice(0, 30)}` });
      }
    }
    await client.all(probes);
  },
};
