import fs from "node:fs";
import path from "node:path";
import { projectRoot } from "../setup/paths";

export const routesDir = path.join(projectRoot, "app/routes");

const moduleFile = /\.(tsx?|jsx?)$/;
// As remix.config.js's ignoredRouteFiles: dot files and tests are not routes.
const ignored = (name: string) => name.startsWith(".") || /\.test\.tsx?$/.test(name);

/**
 * The route modules under app/routes, found the way Remix's flat routes find them: a file such
 * as `healthz.ts`, or a folder's `route.tsx` (or `index.tsx`) such as `administration._index/route.tsx`.
 * The other files in a folder are the page's own components, not routes; a folder without a
 * route module is no route at all, to Remix as here.
 */
export function routeFiles(): string[] {
  return fs
    .readdirSync(routesDir, { withFileTypes: true })
    .filter((entry) => !ignored(entry.name))
    .flatMap((entry) => {
      if (!entry.isDirectory()) return moduleFile.test(entry.name) ? [entry.name] : [];
      const inside = fs.readdirSync(path.join(routesDir, entry.name));
      const module =
        inside.find((name) => /^route\.(tsx?|jsx?)$/.test(name)) ??
        inside.find((name) => /^index\.(tsx?|jsx?)$/.test(name));
      return module ? [`${entry.name}/${module}`] : [];
    })
    .sort();
}

/** The name Remix reads the address from: the file's name, or its folder's for a folder route. */
export const routeName = (file: string) => (file.includes("/") ? path.dirname(file) : file.replace(moduleFile, ""));

/** The specifier that imports a route module, as `~/routes/administration._index/route`. */
export const routeImport = (file: string) => `~/routes/${file.replace(moduleFile, "")}`;
