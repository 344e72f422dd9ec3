import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { isLanguage } from "~/i18n/i18n";
import { serializeLanguage } from "~/i18n/language.server";
import { invariantResponse, readForm, safeRedirectPath } from "~/utils/http.server";

export async function loader() {
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const language = form.get("language");
  invariantResponse(isLanguage(language), "refusal.unknownLanguage");
  return redirect(safeRedirectPath(form.get("redirectTo"), "/"), {
    headers: { "Set-Cookie": await serializeLanguage(language) },
  });
}
