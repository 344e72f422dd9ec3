import type { Page } from "@playwright/test";
import type { Persona } from "../integration/route-roles/checks";
import type { BadInputClient, Probe } from "./client";
import { parsePage, type PageForm, type Submitter } from "./html";
import {
  BAD_FILES,
  BAD_PATH_VALUES,
  BAD_QUERY_VALUES,
  BROKEN_MULTIPART,
  asJson,
  fieldMutations,
  fileValue,
  plausibleValue,
  type Entries,
  type FieldInfo,
} from "./inputs";
import { recipes } from "./recipes";
import { actionPath, matchRoute, queryNames, routePath, type Route } from "./routes";

/** One way to submit a form a page showed: the form with one of its named submit buttons. */
type FormVariant = {
  /** The same form on any page, for any role: the action's route, its fields and its intent. */
  signature: string;
  /** How the report names it: method, route and intent. */
  label: string;
  method: "GET" | "POST";
  /** Where it is sent: the action's path and query. */
  path: string;
  route: Route;
  multipart: boolean;
  /** What the page would send, with empty fields filled in plausibly. */
  baseline: Entries;
  /** The fields spoiled one at a time (list items once, not once per item). */
  fields: FieldInfo[];
  files: string[];
};

export type WalkOptions = {
  /** Routes left for the end (signing out), by file. */
  last: Set<string>;
  /** Addresses walked per route and role: a page per row (every invoice, every module) adds nothing after the first few. */
  maxAddressesPerRoute: number;
};

const INDEX = /\[\d+\]/g;
/** The spoilings a form gets from each role after the first that sent it. */
const AGAIN = new Set(["empty", "10,000 chars", "control chars + NUL"]);

/** Single fetch's address for a route's data: what the browser fetches when it navigates or submits with scripts on. */
function dataPath(pathAndQuery: string) {
  const url = new URL(pathAndQuery, "http://x");
  return `${url.pathname === "/" ? "/_root" : url.pathname.replace(/\/$/, "")}.data${url.search}`;
}

const withoutFiles = (entries: Entries): Entries => entries.filter(([, value]) => typeof value === "string");

/**
 * Walks the platform as one kind of person: gets every page it can reach (and each page's data),
 * reads each page's forms and sends every field of each spoiled in every way, then spoils each
 * route's path params and query string and sends it bodies no form would.
 */
export class Walker {
  /** Form signatures submitted, over all roles. */
  readonly forms = new Set<string>();
  formSubmissions = 0;
  /** Routes some form or recipe posted to. */
  readonly posted = new Set<string>();
  readonly media = new Set<string>();
  readonly pages = new Set<string>();
  private serial = 0;
  /** Forms for the routes left for last, per role. */
  private readonly postponed = new Map<Persona, FormVariant[]>();

  constructor(
    private readonly client: BadInputClient,
    private readonly routes: Route[],
    private readonly parser: Page,
    private readonly options: WalkOptions,
  ) {}

  async walk(role: Persona, seeds: string[]) {
    const { visited, variants } = await this.crawl(role, seeds);
    await this.submitForms(role, variants);
    for (const route of this.routes) {
      if (this.options.last.has(route.file) || this.client.outOfTime) continue;
      const base =
        visited.get(route.file)?.[0] ??
        seeds.find((seed) => this.routeOf(seed)?.route === route) ??
        this.placeholder(route);
      const formsForRoute = variants.filter((variant) => variant.route === route && variant.method === "POST");
      await this.spoilPath(role, route, base, formsForRoute[0]);
      await this.spoilQuery(role, route, base, visited.get(route.file) ?? []);
      await this.spoilBodies(role, route, base, formsForRoute[0]);
      const recipe = recipes[route.file];
      if (recipe) {
        await recipe({ client: this.client, role, path: new URL(base, "http://x").pathname, media: [...this.media] });
        this.posted.add(route.file);
      }
    }
  }

  /** The routes left for last (signing out), sent their forms and bad bodies as the run's final requests. */
  async finish(role: Persona) {
    await this.submitForms(role, this.postponed.get(role) ?? []);
    for (const route of this.routes)
      if (this.options.last.has(route.file)) await this.spoilBodies(role, route, this.placeholder(route), undefined);
  }

  private routeOf(path: string) {
    const url = new URL(path, "http://x");
    return matchRoute(this.routes, url.pathname);
  }

  private placeholder(route: Route) {
    return routePath(
      route,
      Object.fromEntries(route.params.map((name) => [name, name === "*" ? "v1/master.m3u8" : "1"])),
    );
  }

  /** Every page the role can reach from the seeds by links, a few addresses per route. */
  private async crawl(role: Persona, seeds: string[]) {
    const queue: string[] = [];
    const seen = new Set<string>();
    const visited = new Map<string, string[]>();
    const variants: FormVariant[] = [];
    const signatures = new Set<string>();
    const perRoute = new Map<string, number>();
    const enqueue = (path: string) => {
      const url = new URL(path, this.client.baseURL);
      if (url.origin !== new URL(this.client.baseURL).origin) return;
      const address = `${url.pathname}${url.search}`;
      const match = matchRoute(this.routes, url.pathname);
      if (!match || this.options.last.has(match.route.file) || seen.has(address)) return;
      const count = perRoute.get(match.route.file) ?? 0;
      if (count >= this.options.maxAddressesPerRoute) return;
      perRoute.set(match.route.file, count + 1);
      seen.add(address);
      queue.push(address);
    };
    for (const seed of seeds) enqueue(seed);

    while (queue.length > 0 && !this.client.outOfTime) {
      const wave = queue.splice(0, 4);
      const answers = await this.client.all(
        wave.map((path): Probe => ({ role, method: "GET", path, what: "the page" })),
      );
      await this.client.all(
        wave.map((path): Probe => ({ role, method: "GET", path: dataPath(path), what: "the page's data" })),
      );
      for (const [i, answer] of answers.entries()) {
        const path = wave[i]!;
        const file = this.routeOf(path)!.route.file;
        if (answer && answer.status < 400) visited.set(file, [...(visited.get(file) ?? []), path]);
        if (!answer || answer.status !== 200 || !answer.contentType.startsWith("text/html") || !answer.text) continue;
        this.pages.add(`${role} ${path}`);
        const parsed = await parsePage(this.parser, answer.text);
        for (const link of parsed.links) enqueue(new URL(link, new URL(path, this.client.baseURL)).toString());
        for (const media of parsed.media) {
          this.media.add(media);
          enqueue(media);
        }
        this.collectForms(role, parsed.forms, path, variants, signatures);
      }
    }
    return { visited, variants };
  }

  private collectForms(
    role: Persona,
    forms: PageForm[],
    pagePath: string,
    into: FormVariant[],
    signatures: Set<string>,
  ) {
    for (const form of forms) {
      // Each named button sends the form its own way; an unnamed one (or Enter in a field) sends it plain.
      const named = form.submitters.filter((submitter) => submitter.name);
      const plain = named.length < form.submitters.length || form.submitters.length === 0;
      for (const submitter of [...(plain ? [null] : []), ...named]) {
        const variant = this.variant(form, submitter, pagePath);
        if (!variant || signatures.has(variant.signature)) continue;
        signatures.add(variant.signature);
        if (this.options.last.has(variant.route.file))
          this.postponed.set(role, [...(this.postponed.get(role) ?? []), variant]);
        else into.push(variant);
      }
    }
  }

  private variant(form: PageForm, submitter: Submitter | null, pagePath: string): FormVariant | null {
    const method = (submitter?.formMethod ?? form.method).toLowerCase() === "post" ? "POST" : "GET";
    // A form without an action is sent to the page's own address, as a browser does.
    const target = new URL(submitter?.formAction ?? form.action ?? pagePath, new URL(pagePath, this.client.baseURL));
    const match = matchRoute(this.routes, target.pathname);
    if (!match || target.origin !== new URL(this.client.baseURL).origin) return null;
    const multipart = (submitter?.formEnctype ?? form.enctype ?? "").toLowerCase() === "multipart/form-data";

    const baseline: Entries = [];
    const fields = new Map<string, FieldInfo>();
    const files: string[] = [];
    const field = (info: FieldInfo) => {
      const key = info.name.replace(INDEX, "[]");
      const known = fields.get(key);
      if (!known) fields.set(key, { ...info, options: [...info.options] });
      else if (known.name === info.name) known.options.push(...info.options);
    };
    const radios = new Map<string, string[]>();
    for (const control of form.controls) {
      if (!control.name || control.disabled) continue;
      if (control.type === "file") {
        files.push(control.name);
        baseline.push([control.name, fileValue("", "application/octet-stream", "")]);
        continue;
      }
      if (control.type === "radio") {
        radios.set(control.name, [...(radios.get(control.name) ?? []), control.value]);
        if (control.checked) baseline.push([control.name, control.value]);
        field({ ...control, options: [control.value] });
        continue;
      }
      if (control.type === "checkbox") {
        if (control.checked) baseline.push([control.name, control.value || "on"]);
        field({ ...control, options: [control.value || "on"] });
        continue;
      }
      const value =
        control.type === "select"
          ? control.value || (control.options.find((option) => option !== "") ?? "")
          : control.value !== "" || control.type === "hidden" || /discount|rabat/i.test(control.name)
            ? control.value
            : plausibleValue(control, ++this.serial);
      baseline.push([control.name, value]);
      field({ ...control, value });
    }
    // A radio group with nothing chosen gets its first choice, so the rest of the form is checked.
    for (const [name, values] of radios)
      if (!baseline.some(([key]) => key === name) && values[0] !== undefined) baseline.push([name, values[0]]);
    if (submitter) {
      baseline.push([submitter.name, submitter.value]);
      field({ name: submitter.name, type: "submit", value: submitter.value, options: [], min: null, max: null });
    }

    // Buttons that differ only by a row or position (Conform's "move question 2 up") are one form.
    const intent = baseline
      .filter(([key]) => key === "intent" || key === submitter?.name)
      .map(([key, value]) => `${key}=${typeof value === "string" ? value.replace(/\d+/g, "#") : ""}`);
    const names = [...new Set(baseline.map(([key]) => key.replace(INDEX, "[]")))].sort();
    const index = target.searchParams.has("index") ? "?index" : "";
    return {
      signature: `${method} ${match.route.file}${index} [${names.join(",")}] ${intent.join("&")}`,
      label: `${method} ${match.route.file}${index} ${intent.join("&")}`.trim(),
      method,
      path: method === "POST" ? `${target.pathname}${target.search}` : target.pathname,
      route: match.route,
      multipart,
      baseline,
      fields: [...fields.values()],
      files,
    };
  }

  private body(variant: FormVariant, entries: Entries): Probe["body"] {
    return variant.multipart ? { kind: "multipart", entries } : { kind: "urlencoded", entries: withoutFiles(entries) };
  }

  private probe(
    role: Persona,
    variant: FormVariant,
    entries: Entries,
    what: string,
    extra: Partial<Probe> = {},
  ): Probe {
    const label = `${variant.label}: ${what}`;
    if (variant.method === "GET") {
      const query = new URLSearchParams(withoutFiles(entries).map(([key, value]) => [key, value as string])).toString();
      return { role, method: "GET", path: `${variant.path}${query ? `?${query}` : ""}`, what: label, ...extra };
    }
    return { role, method: "POST", path: variant.path, body: this.body(variant, entries), what: label, ...extra };
  }

  /**
   * Each form: every field spoiled in turn, the whole form as JSON and in the other encoding,
   * bad files to its file inputs, sent cross-site and without Origin, and last as the page would
   * send it. A reply that shows new forms (a summary with "Order") has those sent too.
   */
  private async submitForms(role: Persona, variants: FormVariant[]) {
    const queue = [...variants];
    const signatures = new Set(variants.map((variant) => variant.signature));
    while (queue.length > 0 && !this.client.outOfTime) {
      const variant = queue.shift()!;
      // Checking a field does not depend on who sends it, but what happens next does: a form
      // another role has sent spoiled every way gets the main spoilings from this one, not all.
      const again = this.forms.has(variant.signature);
      this.forms.add(variant.signature);
      this.formSubmissions += 1;
      this.posted.add(variant.route.file);
      const { baseline } = variant;
      const probes: Probe[] = [];
      for (const field of variant.fields) {
        for (const mutation of fieldMutations(field).filter((mutation) => !again || AGAIN.has(mutation.label)))
          probes.push(this.probe(role, variant, mutation.apply(baseline), `${field.name}: ${mutation.label}`));
      }
      if (variant.method === "POST") {
        probes.push({
          role,
          method: "POST",
          path: variant.path,
          body: { kind: "raw", contentType: "application/json", data: asJson(baseline) },
          what: `${variant.label}: as JSON`,
        });
        probes.push({
          role,
          method: "POST",
          path: variant.path,
          body: variant.multipart
            ? { kind: "urlencoded", entries: withoutFiles(baseline) }
            : { kind: "multipart", entries: baseline },
          what: `${variant.label}: in the other encoding`,
        });
        probes.push({
          role,
          method: "POST",
          path: variant.path,
          body: {
            kind: "multipart",
            entries: baseline.map(([key, value]) => [
              key,
              typeof value === "string" && key !== "intent" ? BAD_FILES[1]! : value,
            ]),
          },
          what: `${variant.label}: files for its text fields`,
        });
        for (const name of variant.files) {
          for (const file of BAD_FILES)
            probes.push(
              this.probe(
                role,
                variant,
                baseline.map(([key, value]) => [key, key === name ? file : value]),
                `${name}: ${file.name.slice(0, 40)}`,
              ),
            );
        }
        probes.push(this.probe(role, variant, baseline, "from another site", { origin: "foreign" }));
        probes.push(this.probe(role, variant, baseline, "without Origin", { origin: "none" }));
        probes.push({
          ...this.probe(role, variant, baseline, "as the page's script sends it"),
          path: dataPath(variant.path),
        });
      }
      await this.client.all(probes);
      const [answer] = await this.client.all([this.probe(role, variant, baseline, "as the page would send it")]);
      if (answer?.contentType.startsWith("text/html") && answer.text) {
        const found: FormVariant[] = [];
        this.collectForms(role, (await parsePage(this.parser, answer.text)).forms, variant.path, found, signatures);
        queue.push(...found);
      }
    }
  }

  /** The route's address with each path param replaced by bad values; its action is sent the form too. */
  private async spoilPath(role: Persona, route: Route, base: string, form: FormVariant | undefined) {
    const match = this.routeOf(base);
    if (!match || route.params.length === 0) return;
    const probes: Probe[] = [];
    for (const name of route.params) {
      for (const bad of BAD_PATH_VALUES) {
        // A splat keeps its folders and has its last piece spoiled.
        const splat = (match.params["*"] ?? "").split("/").slice(0, -1);
        const params = { ...match.params, [name]: name === "*" ? [...splat, bad.value].join("/") : bad.value };
        probes.push({ role, method: "GET", path: routePath(route, params), what: `${name} = ${bad.label}` });
        if (route.hasAction && bad.post) {
          const entries = form?.baseline ?? [["intent", "x"]];
          probes.push({
            role,
            method: "POST",
            path: actionPath(route, params),
            body: form ? this.body(form, entries) : { kind: "urlencoded", entries },
            what: `${name} = ${bad.label}, form sent`,
          });
        }
      }
    }
    await this.client.all(probes);
  }

  /** Every query parameter the route reads or its links carry, given bad values. */
  private async spoilQuery(role: Persona, route: Route, base: string, visited: string[]) {
    const names = new Set(queryNames(route));
    for (const path of visited) for (const name of new URL(path, "http://x").searchParams.keys()) names.add(name);
    names.delete("index");
    if (names.size === 0) return;
    const { pathname } = new URL(base, "http://x");
    const probes: Probe[] = [];
    for (const name of names) {
      for (const bad of BAD_QUERY_VALUES) {
        const query = bad.value === null ? `${name}=1&${name}=2` : `${name}=${encodeURIComponent(bad.value)}`;
        probes.push({ role, method: "GET", path: `${pathname}?${query}`, what: `?${name} = ${bad.label}` });
      }
    }
    await this.client.all(probes);
  }

  /** Bodies no form sends: JSON, broken multipart, text files named .mp4/.csv, other methods, another site. */
  private async spoilBodies(role: Persona, route: Route, base: string, form: FormVariant | undefined) {
    const match = this.routeOf(base);
    if (!match) return;
    const path = actionPath(route, match.params);
    const fields: Entries = form ? withoutFiles(form.baseline) : [["intent", "x"]];
    const probes: Probe[] = [
      {
        role,
        method: "POST",
        path,
        body: { kind: "raw", contentType: "application/json", data: asJson(fields) },
        what: "JSON where a form is expected",
      },
      {
        role,
        method: "POST",
        path,
        body: { kind: "raw", contentType: BROKEN_MULTIPART[0]!.contentType, data: BROKEN_MULTIPART[0]!.body },
        what: BROKEN_MULTIPART[0]!.label,
      },
      {
        role,
        method: "POST",
        path,
        body: { kind: "multipart", entries: [...fields, ["file", BAD_FILES[0]!]] },
        what: `a text file named ${BAD_FILES[0]!.name}`,
      },
      {
        role,
        method: "POST",
        path,
        body: { kind: "urlencoded", entries: fields },
        origin: "foreign",
        what: "from another site",
      },
    ];
    // A route without an action answers every body alike (405); the rest are for those that read them.
    if (route.hasAction) {
      probes.push(
        {
          role,
          method: "POST",
          path,
          body: { kind: "raw", contentType: "text/plain", data: "intent=x" },
          what: "text/plain body",
        },
        ...BROKEN_MULTIPART.slice(1).map((broken): Probe => ({
          role,
          method: "POST",
          path,
          body: { kind: "raw", contentType: broken.contentType, data: broken.body },
          what: broken.label,
        })),
        {
          role,
          method: "POST",
          path,
          body: { kind: "multipart", entries: [...fields, ["file", BAD_FILES[1]!]] },
          what: `a text file named ${BAD_FILES[1]!.name}`,
        },
        {
          role,
          method: "POST",
          path,
          body: {
            kind: "urlencoded",
            entries: [
              ["intent", "a"],
              ["intent", "b"],
            ],
          },
          what: "intent twice",
        },
        { role, method: "PUT", path, body: { kind: "urlencoded", entries: fields }, what: "PUT" },
        { role, method: "DELETE", path, what: "DELETE without a body" },
        {
          role,
          method: "POST",
          path,
          body: { kind: "urlencoded", entries: fields },
          origin: "none",
          what: "without Origin",
        },
      );
    }
    await this.client.all(probes);
  }
}
