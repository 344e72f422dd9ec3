import { demoEmails } from "~/cli/seed/accounts";
import { revokeScimToken } from "~/scim/tokens.server";
import { SCIM_MAX_BODY_BYTES } from "~/scim/request.server";
import { userIdByEmail } from "../utils/requests";
import { demoScimToken, scim, scimJsonOf } from "../utils/scim";

const admin = () => ({ id: userIdByEmail(demoEmails.admin) });
const unauthorized = { schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "401" };

describe("who may speak for a municipality's directory", () => {
  it("refuses a missing or wrong token with a SCIM 401", async () => {
    demoScimToken();
    for (const token of ["", "not-the-token-but-long-enough-to-look-like-one"]) {
      const response = await scim("GET", "/Users", { token });
      expect(await scimJsonOf(response, 401)).toMatchObject(unauthorized);
      expect(response.headers.get("WWW-Authenticate")).toContain("Bearer");
    }
  });

  it("refuses a token on another municipality's address", async () => {
    const token = demoScimToken();
    const response = await scim("GET", "/Users", { token, slug: "nabo-kommune" });
    expect(await scimJsonOf(response, 401)).toMatchObject(unauthorized);
  });

  it("refuses a revoked token, and the token a rotation replaced", async () => {
    const first = demoScimToken();
    const second = demoScimToken();
    expect(await scimJsonOf(await scim("GET", "/Users", { token: first }), 401)).toMatchObject(unauthorized);
    expect((await scim("GET", "/Users", { token: second })).status).toBe(200);
    expect(revokeScimToken(admin(), 1)).toBe("revoked");
    expect(await scimJsonOf(await scim("GET", "/Users", { token: second }), 401)).toMatchObject(unauthorized);
  });

  it("lets only the municipality's admin make or revoke its token", () => {
    const learner = { id: userIdByEmail(demoEmails.learner) };
    const neighbourAdmin = { id: userIdByEmail(demoEmails.neighbourAdmin) };
    expect(revokeScimToken(learner, 1)).toBe("forbidden");
    expect(revokeScimToken(neighbourAdmin, 1)).toBe("forbidden");
  });

  it("answers a body over the cap with 413 before reading it", async () => {
    const token = demoScimToken();
    const response = await scim("POST", "/Users", {
      token,
      rawBody: JSON.stringify({ userName: "big@demo-kommune.dk", padding: "x".repeat(SCIM_MAX_BODY_BYTES) }),
    });
    expect(await scimJsonOf(response, 413)).toMatchObject({ status: "413" });
    // The unread body must not hold up the client's next request on the same connection.
    expect(response.headers.get("Connection")).toBe("close");
  });

  it("answers a body that is no JSON with 400 invalidSyntax", async () => {
    const token = demoScimToken();
    const response = await scim("POST", "/Users", { token, rawBody: "{not json" });
    expect(await scimJsonOf(response, 400)).toMatchObject({ status: "400", scimType: "invalidSyntax" });
  });

  it("describes itself in ServiceProviderConfig as Entra ID checks it", async () => {
    const token = demoScimToken();
    const config = await scimJsonOf<Record<string, unknown>>(
      await scim("GET", "/ServiceProviderConfig", { token }),
      200,
    );
    expect(config).toMatchObject({
      patch: { supported: true },
      bulk: { supported: false },
      filter: { supported: true, maxResults: 100 },
      authenticationSchemes: [expect.objectContaining({ type: "oauthbearertoken" })],
    });
  });
});
