import type { LoaderFunctionArgs } from "@remix-run/node";
import { translator } from "~/i18n/i18n";
import { metricsText } from "~/ops/metrics.server";
import { operatorAccess } from "~/ops/operator-access.server";

/** Prometheus's scrape: the platform owner's session or `Authorization: Bearer <METRICS_TOKEN>`. */
export async function loader({ request }: LoaderFunctionArgs) {
  const access = await operatorAccess(request);
  if (access !== "granted") {
    const [da, en] = [translator("da"), translator("en")];
    const key = access === "noCredentials" ? "ops.metrics.noCredentials" : "ops.metrics.refused";
    return new Response(`${da(key)}\n${en(key)}\n`, {
      status: access === "noCredentials" ? 401 : 403,
      headers: {
        "Content-Type": "text/plain; charset=utf-8",
        "Cache-Control": "no-store",
        ...(access === "noCredentials" ? { "WWW-Authenticate": 'Bearer realm="metrics"' } : {}),
      },
    });
  }
  const { body, contentType } = await metricsText();
  return new Response(body, { headers: { "Content-Type": contentType, "Cache-Control": "no-store" } });
}
