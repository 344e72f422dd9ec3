import type { ActionFunctionArgs } from "@remix-run/node";
import { quotePdfResponse } from "~/billing/documents.server";
import { orderSchema } from "~/billing/forms";
import { prepareOrder } from "~/billing/orders.server";
import { translator } from "~/i18n/i18n";
import { getLanguage } from "~/i18n/language.server";
import type { MessageKey } from "~/i18n/da";
import { requireAdmin } from "~/licensing/overview.server";
import { invariantResponse, parseSubmission, readForm } from "~/utils/http.server";

/**
 * The quote (tilbud) for the order on the summary, as a PDF download. A route of its own, so
 * the browser saves the file and stays on the summary; nothing is saved.
 */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireAdmin(request);
  const t = translator(await getLanguage(request));
  const submission = parseSubmission(await readForm(request), orderSchema);
  const problems = (errors: Record<string, string[] | null> | undefined) =>
    Object.values(errors ?? {})
      .flat()
      .map((key) => t(key as MessageKey))
      .join(" ");
  invariantResponse(submission.status === "success", problems(submission.reply().error));
  const prepared = prepareOrder(user, submission.value);
  invariantResponse(prepared.status !== "forbidden", "Kommunen eller licensen findes ikke.", { status: 404 });
  invariantResponse(prepared.status === "ok", prepared.status === "invalid" ? Object.values(prepared.problems).map((key) => t(key)).join(" ") : "");
  return quotePdfResponse(prepared.order);
}
