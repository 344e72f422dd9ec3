import { z } from "zod";
import { parseSubmission } from "~/utils/http.server";

const schema = z.object({ name: z.string() });

function form(fields: Record<string, string>) {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.set(key, value);
  return data;
}

describe("parseSubmission", () => {
  it("parses a form as Conform does", () => {
    const submission = parseSubmission(form({ name: "Sofie" }), schema);
    expect(submission.status).toBe("success");
  });

  it("answers a list command it cannot read with a 400 in Danish, not a server error", async () => {
    for (const garbage of ["{", "null", JSON.stringify({ type: "insert", payload: 7 })]) {
      let thrown: unknown;
      try {
        parseSubmission(form({ name: "Sofie", __intent__: garbage }), schema);
      } catch (error) {
        thrown = error;
      }
      if (!(thrown instanceof Response)) throw new Error(`no response for ${garbage}`);
      expect(thrown.status).toBe(400);
      expect(((await thrown.json()) as { message: string }).message).toMatch(/Formularen kunne ikke læses/);
    }
  });
});
