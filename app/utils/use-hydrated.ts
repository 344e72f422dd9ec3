import { useEffect, useState } from "react";

/**
 * False on the server and in the first render in the browser, true once React has taken over the
 * page: what only works with JavaScript (hiding fields a choice makes irrelevant) waits for it, so
 * the page without JavaScript still shows everything.
 */
export function useHydrated() {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}
