import { Link, isRouteErrorResponse, useRouteError } from "@remix-run/react";
import type { MessageKey } from "~/i18n/da";
import { isMessageKey, useT } from "~/i18n/i18n";

function messageFor(error: unknown): MessageKey {
  if (!isRouteErrorResponse(error)) return "error.generic";
  const data: unknown = error.data;
  // A refusal thrown with invariantResponse names the message written for it.
  if (
    error.status < 500 &&
    typeof data === "object" &&
    data !== null &&
    "message" in data &&
    isMessageKey(data.message)
  )
    return data.message;
  if (error.status === 404) return "error.notFound";
  if (error.status === 403) return "error.forbidden";
  return error.status < 500 ? "error.badRequest" : "error.generic";
}

function titleFor(error: unknown): MessageKey {
  if (!isRouteErrorResponse(error) || error.status >= 500) return "error.title";
  if (error.status === 404) return "error.titleNotFound";
  if (error.status === 403) return "error.titleForbidden";
  return "error.titleRefused";
}

/**
 * What a page shows when its loader or action refused the whole request (a 403 or 404) or failed:
 * the refusal's own message in the reader's language, and a way on. The root uses it, and so
 * can any route that wants its own boundary.
 */
export function GeneralErrorBoundary() {
  const error = useRouteError();
  const t = useT();
  return (
    <div className="page page--narrow">
      <h1>{t(titleFor(error))}</h1>
      <p role="alert">{t(messageFor(error))}</p>
      <p>
        <Link to="/">{t("error.home")}</Link>
      </p>
    </div>
  );
}
