import { createElement, type ComponentType } from "react";
import { renderToString } from "react-dom/server";
import type { RouteObject } from "react-router-dom";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { routeArgs } from "./requests";

type DataFunction = (args: ReturnType<typeof routeArgs>) => Promise<Response> | Response;
type RouteModule = { loader: DataFunction; action?: DataFunction; default: ComponentType };

/**
 * Serves one route module's own loader, action and component the way Remix does on the server,
 * and returns the HTML a browser would receive, with the data that went into it.
 */
export async function renderRoute(route: RouteModule, path: string, req: Request) {
  const routes: RouteObject[] = [
    {
      id: "route",
      path,
      loader: ({ request, params }) => route.loader(routeArgs(request, params as Record<string, string>)),
      action: route.action
        ? ({ request, params }) => route.action!(routeArgs(request, params as Record<string, string>))
        : undefined,
      Component: route.default,
    },
  ];
  const handler = createStaticHandler(routes);
  const context = await handler.query(req);
  if (context instanceof Response) throw new Error(`The page answered ${context.status}`);
  // A thrown refusal renders the router's default error element instead of the page, which would
  // make every "the page does not show X" assertion pass; the page was not rendered, so fail.
  if (context.errors)
    throw new Error(`The page answered ${context.statusCode} instead of rendering: ${JSON.stringify(context.errors)}`);
  const router = createStaticRouter(handler.dataRoutes, context);
  return { html: renderToString(createElement(StaticRouterProvider, { router, context })), context };
}

/** Text as React writes it into HTML. */
export const escapeHtml = (text: string) =>
  text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#x27;");
