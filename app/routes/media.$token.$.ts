import type { LoaderFunctionArgs } from "@remix-run/node";
import { getSessionUser } from "~/auth/session.server";
import { authorizeMedia } from "~/media/access.server";
import { resolveMediaFile } from "~/media/library.server";
import { serveMediaFile } from "~/media/serve.server";

const denied = () =>
  new Response("Du har ikke adgang til denne film.", {
    status: 403,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
  });

/** /media/<token>/<version>/<file>: playlists, segments, subtitles and the poster of one version of one module's film. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const [version = "", ...rest] = (params["*"] ?? "").split("/");
  const grant = authorizeMedia(await getSessionUser(request), params.token ?? "", version);
  if (grant.status !== "ok") return denied();
  const file = resolveMediaFile(grant.slug, version, rest.join("/"));
  if (!file)
    return new Response("Filen findes ikke.", {
      status: 404,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  const playlist = file.endsWith(".m3u8");
  return serveMediaFile(request, file, {
    // Playlists are small and name the segments; segments never change once a version is complete.
    cacheControl: playlist ? "private, no-cache" : "private, max-age=3600",
  });
}
