/**
 * Signs in at the test OpenID provider (tests/fakes/oidc-provider.ts) the way a browser would,
 * with fetch: it follows the provider's redirects with its own cookie jar, fills in the development
 * login page and stops at the first redirect back to `redirectUri`, whose URL (with `code` and
 * `state`) it returns for the test to hand to the platform's callback.
 */
export async function signInAtTestProvider(
  authorizationUrl: URL | string,
  { login, redirectUri }: { login: string; redirectUri: string },
): Promise<URL> {
  const cookies = new Map<string, string>();

  async function visit(url: URL, init: RequestInit = {}) {
    const headers = new Headers(init.headers);
    if (cookies.size > 0) headers.set("Cookie", [...cookies].map(([name, value]) => `${name}=${value}`).join("; "));
    const response = await fetch(url, { ...init, headers, redirect: "manual" });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ""] = cookie.split(";");
      const equals = pair.indexOf("=");
      cookies.set(pair.slice(0, equals), pair.slice(equals + 1));
    }
    return response;
  }

  // Follows redirects until one leads back to the platform, or until a page is shown.
  async function follow(response: Response, from: URL): Promise<{ callback: URL } | { page: Response; url: URL }> {
    let current = response;
    let url = from;
    for (let hops = 0; hops < 10; hops++) {
      const location = current.headers.get("Location");
      if (current.status < 300 || current.status >= 400 || !location) return { page: current, url };
      url = new URL(location, url);
      if (url.href.startsWith(redirectUri)) return { callback: url };
      current = await visit(url);
    }
    throw new Error(`The test provider redirected more than 10 times, last to ${url.href}`);
  }

  const start = new URL(authorizationUrl);
  const toLogin = await follow(await visit(start), start);
  if ("callback" in toLogin) return toLogin.callback;
  if (toLogin.page.status !== 200) {
    throw new Error(`The test provider answered ${toLogin.page.status}: ${await toLogin.page.text()}`);
  }
  const action = /<form[^>]*action="([^"]+)"/.exec(await toLogin.page.text())?.[1];
  if (!action) throw new Error(`No login form at ${toLogin.url.href}`);

  const loginUrl = new URL(action, toLogin.url);
  const form = new URLSearchParams({ prompt: "login", login, password: "not-checked" });
  const afterLogin = await follow(await visit(loginUrl, { method: "POST", body: form }), loginUrl);
  if ("callback" in afterLogin) return afterLogin.callback;
  throw new Error(
    `Signing in as ${login} did not lead back to ${redirectUri}: ${afterLogin.page.status} at ${afterLogin.url.href}, ` +
      (await afterLogin.page.text()).slice(0, 300),
  );
}
