import type { Submission, SubmissionResult } from "@conform-to/react";
import { json } from "@remix-run/node";
import type { ZodTypeAny } from "zod";
import type { MessageKey } from "~/i18n/da";
import type { FormReply, Notice } from "./form-reply";
import { idFromPath, validateForm } from "./form-schema";

const noStore = { "Cache-Control": "no-store" };

/** What an error boundary receives from a refused request: the key of the message that explains it. */
type RefusalData = { message: MessageKey };

/**
 * Throws a 4xx response when the condition does not hold. For what cannot be shown on the page the
 * person was on (a 404 or 403 for a whole page); the error boundary shows the message key's text.
 * Refusals of a submitted form are replies instead (replyToForm), so they show beside the form.
 */
export function invariantResponse(
  condition: unknown,
  message: MessageKey,
  init: { status: number } = { status: 400 },
): asserts condition {
  if (!condition) {
    throw json({ message } satisfies RefusalData, { status: init.status, headers: noStore });
  }
}

/** The posted form's intent, which must name one of the action's schemas; anything else is a 400. */
export function formIntent<Schemas extends Record<string, ZodTypeAny>>(
  form: FormData,
  schemas: Schemas,
): keyof Schemas & string {
  const intent = String(form.get("intent"));
  invariantResponse(Object.hasOwn(schemas, intent), "error.unknownAction");
  return intent;
}

type ReplyOptions<Data> = {
  /** An expected refusal (licence full, no attempts left): shown above the form. Answered 409 unless `status` says otherwise. */
  refusal?: MessageKey | Notice;
  /** Refusals that belong to one field, shown beside it. Answered 400 unless `status` says otherwise. */
  fieldErrors?: Record<string, MessageKey[]>;
  notice?: MessageKey | Notice;
  status?: number;
  resetForm?: boolean;
  hideFields?: string[];
  /** What the page shows beside the reply, such as an order's summary or an import's report. */
  data?: Data;
};

/**
 * The one reply every action gives a form it handled (see FormReply): invalid input is a 400 with
 * Conform's field errors, a refusal a 4xx with its message above the form, success a 200 with the
 * notice. Nothing here throws, so the person stays on their page with what they typed.
 *
 * `submission` is null when no form fields stand behind the reply, such as a button-only form or a
 * body too large to open: the result then carries only the refusal and field errors (without them,
 * a plain success, or the reset `resetForm` asks for). No values go back, so a form keeps what its
 * fields hold in the browser.
 */
export function replyToForm<Data extends object = Record<never, never>>(
  formId: string,
  submission: Submission<unknown> | null,
  options: ReplyOptions<Data> = {},
) {
  const { fieldErrors, notice, resetForm, hideFields, data } = options;
  const refusal = typeof options.refusal === "string" ? { key: options.refusal } : options.refusal;
  const refused = refusal !== undefined || fieldErrors !== undefined;
  const status =
    options.status ?? (refusal ? 409 : refused || (submission && submission.status !== "success") ? 400 : 200);
  const formErrors = refusal ? [refusal.key] : undefined;
  const result: SubmissionResult<string[]> = submission
    ? submission.reply({ formErrors, fieldErrors, resetForm: refused ? false : resetForm, hideFields })
    : refused
      ? { status: "error", error: { ...(formErrors && { "": formErrors }), ...fieldErrors } }
      : resetForm
        ? { initialValue: null }
        : { status: "success" };
  const reply: FormReply = {
    formId,
    result,
    notice: refused || !notice ? null : typeof notice === "string" ? { key: notice } : notice,
    refusalValues: refusal?.values,
  };
  return json({ ...data, ...reply } as Data & FormReply, { status, headers: noStore });
}

/** The id a route's address names, or a 404 with the message when it names none. */
export function requirePathId(value: string | undefined, notFound: MessageKey): number {
  const id = idFromPath(value);
  invariantResponse(id !== null, notFound, { status: 404 });
  return id;
}

/** Headers for a file only the person asking may have: saved as a download, never cached or sniffed. */
export const privateFileHeaders = (contentType: string, name: string) => ({
  "Content-Type": contentType,
  "Content-Disposition": `attachment; filename="${name}"`,
  "Cache-Control": "private, no-store",
  "X-Content-Type-Options": "nosniff",
});

const ORIGIN = "http://rettidig.invalid";

function hasControlCharacter(value: string) {
  return [...value].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f);
}

/**
 * Only paths on this site, so a crafted ?redirectTo= cannot send a user elsewhere. Parsing it
 * the way a browser would catches tricks like "/\t/evil.example"; the result is re-encoded so
 * it is always safe in a Location header. Parsing also resolves dot segments ("/.//x",
 * "/%2e//x"), which can leave a path that starts with "//": a browser reads that as another
 * host, so it is refused after parsing, not only before.
 */
export function safeRedirectPath(value: unknown, fallback = "/kurser"): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.includes("\\") || hasControlCharacter(value)) {
    return fallback;
  }
  let url: URL;
  try {
    url = new URL(value, ORIGIN);
  } catch {
    return fallback;
  }
  const path = `${url.pathname}${url.search}${url.hash}`;
  if (url.origin !== ORIGIN || !path.startsWith("/") || path.startsWith("//")) return fallback;
  return path;
}

function unreadableForm() {
  return json({ message: "error.unreadableForm" } satisfies RefusalData, { status: 400, headers: noStore });
}

/** The submitted form; a body that is not a form at all is a 400 carrying the message key "error.unreadableForm". */
export async function readForm(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch {
    throw unreadableForm();
  }
}

// No form has lists this long; Conform would build an array up to any index it is sent, so q[4000000] would cost gigabytes.
const MAX_LIST_INDEX = 99;
const hasHugeListIndex = (formData: FormData) =>
  [...formData.keys()].some((name) =>
    [...name.matchAll(/\[(\d+)\]/g)].some((match) => match[1]!.length > 2 || Number(match[1]) > MAX_LIST_INDEX),
  );

/**
 * validateForm for actions. Conform throws on a list or validation command (`__intent__`) it
 * cannot read; that is bad input, so it gets the same 400 as a body that is not a form.
 */
export function parseSubmission<Schema extends ZodTypeAny>(formData: FormData, schema: Schema) {
  if (hasHugeListIndex(formData)) throw unreadableForm();
  try {
    return validateForm(formData, schema);
  } catch {
    throw unreadableForm();
  }
}
