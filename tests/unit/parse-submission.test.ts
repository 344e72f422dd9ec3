import { z } from "zod";
import { isMessageKey, translator } from "~/i18n/i18n";
import { message, recordId } from "~/utils/form-schema";
import { parseSubmission, replyToForm } from "~/utils/http.server";

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
    expect(submission.status === "success" && submission.value).toEqual({ name: "Sofie" });
    expect(parseSubmission(form({}), schema).status).toBe("error");
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
      // The error boundary shows the key's text in the person's language.
      const { message } = (await thrown.json()) as { message: string };
      expect(message).toBe("error.unreadableForm");
      expect(translator("da")(message as "error.unreadableForm")).toMatch(/Formularen kunne ikke læses/);
    }
  });
});

describe("replyToForm without a submission", () => {
  const replyOf = async (response: Response) => ({
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
  });

  it("carries only the refusal, for a form with no fields behind it", async () => {
    const refused = await replyOf(replyToForm("join", null, { refusal: "invite.full" }));
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({
      formId: "join",
      result: { status: "error", error: { "": ["invite.full"] } },
      notice: null,
    });

    const withValues = await replyOf(
      replyToForm("join", null, { refusal: { key: "admin.licenceFull", values: { seats: 3 } }, status: 403 }),
    );
    expect(withValues.status).toBe(403);
    expect(withValues.body).toMatchObject({
      result: { status: "error", error: { "": ["admin.licenceFull"] } },
      refusalValues: { seats: 3 },
    });
  });

  it("puts field errors beside their field, with the page's data", async () => {
    const tooLarge = await replyOf(
      replyToForm("import", null, { fieldErrors: { file: ["import.tooLarge"] }, status: 413, data: { report: null } }),
    );
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body).toEqual({
      formId: "import",
      report: null,
      result: { status: "error", error: { file: ["import.tooLarge"] } },
      notice: null,
    });
  });

  it("confirms with the notice, or empties the form when asked", async () => {
    const done = await replyOf(replyToForm("join", null, { notice: "feedback.page.thanks" }));
    expect(done.status).toBe(200);
    expect(done.body).toEqual({
      formId: "join",
      result: { status: "success" },
      notice: { key: "feedback.page.thanks" },
    });
    expect(
      (await replyOf(replyToForm("join", null, { notice: "feedback.page.thanks", resetForm: true }))).body,
    ).toMatchObject({ result: { initialValue: null } });
  });
});

describe("messages for checks a schema words no message for", () => {
  const order = z.object({
    name: z.string(message("validation.nameRequired")).min(1, message("validation.nameRequired")),
    plan: z.enum(["pilot", "standard"]),
    licenceId: recordId,
    active: z.boolean().optional(),
  });
  const fieldErrors = (fields: Record<string, string | string[]>) => {
    const data = new FormData();
    for (const [key, value] of Object.entries(fields)) for (const item of [value].flat()) data.append(key, item);
    const submission = parseSubmission(data, order);
    expect(submission.status).toBe("error");
    return submission.reply().error ?? {};
  };

  it("are dictionary keys, never zod's English sentences", () => {
    const errors = fieldErrors({ name: ["Anne", "Bo"], plan: "guld", licenceId: "-1", active: "kanske" });
    expect(errors).toEqual({
      name: ["validation.nameRequired"],
      plan: ["validation.invalidChoice"],
      licenceId: ["validation.invalidChoice"],
      active: ["validation.invalidChoice"],
    });
    for (const key of Object.values(errors).flat()) expect(isMessageKey(key), String(key)).toBe(true);
  });

  it("say a missing field is missing, and keep the schema's own words", () => {
    expect(fieldErrors({ licenceId: "1" })).toEqual({
      name: ["validation.nameRequired"],
      plan: ["validation.required"],
    });
  });
});
