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

  it("refuses a list index no form has, before building an array that long", async () => {
    const list = z.object({ q: z.array(z.string()).max(8) });
    expect(parseSubmission(form({ "q[0]": "a", "q[99]": "b" }), list).status).toBe("error");
    for (const name of ["q[100]", "q[4000000]", "q[0][000100]"]) {
      let thrown: unknown;
      try {
        parseSubmission(form({ [name]: "1" }), list);
      } catch (error) {
        thrown = error;
      }
      expect(thrown instanceof Response && thrown.status, name).toBe(400);
    }
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
