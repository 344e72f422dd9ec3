import type { Page } from "@playwright/test";

/** A form as the page renders it, read by the browser's own HTML parser (scripts off). */
export type PageForm = {
  method: string;
  action: string | null;
  enctype: string | null;
  controls: PageControl[];
  submitters: Submitter[];
};

export type PageControl = {
  name: string;
  /** The input's type, or "select" / "textarea". */
  type: string;
  value: string;
  checked: boolean;
  disabled: boolean;
  options: string[];
  min: string | null;
  max: string | null;
};

export type Submitter = {
  name: string;
  value: string;
  formAction: string | null;
  formMethod: string | null;
  formEnctype: string | null;
};

export type ParsedPage = { forms: PageForm[]; links: string[]; media: string[] };

/**
 * Forms (every control, including those outside the <form> that name it with form=), links and
 * the media addresses a page holds. Subresources are refused, so parsing never goes to the network.
 */
export async function parsePage(page: Page, html: string): Promise<ParsedPage> {
  await page.setContent(html, { waitUntil: "domcontentloaded" });
  const parsed = await page.evaluate(() => {
    const forms = [...document.forms].map((form) => {
      const controls: PageControl[] = [];
      const submitters: Submitter[] = [];
      for (const element of [...form.elements]) {
        if (
          element instanceof HTMLButtonElement ||
          (element instanceof HTMLInputElement && ["submit", "image"].includes(element.type))
        ) {
          const button = element as HTMLButtonElement | HTMLInputElement;
          if (button.type !== "submit" && button.type !== "image") continue;
          submitters.push({
            name: button.name,
            value: button.value,
            formAction: button.getAttribute("formaction"),
            formMethod: button.getAttribute("formmethod"),
            formEnctype: button.getAttribute("formenctype"),
          });
          continue;
        }
        if (element instanceof HTMLInputElement) {
          if (["button", "reset"].includes(element.type)) continue;
          controls.push({
            name: element.name,
            type: element.type,
            value: element.value,
            checked: element.checked,
            disabled: element.disabled,
            options: [],
            min: element.getAttribute("min"),
            max: element.getAttribute("max"),
          });
        } else if (element instanceof HTMLSelectElement) {
          controls.push({
            name: element.name,
            type: "select",
            value: element.value,
            checked: false,
            disabled: element.disabled,
            options: [...element.options].map((option) => option.value),
            min: null,
            max: null,
          });
        } else if (element instanceof HTMLTextAreaElement) {
          controls.push({
            name: element.name,
            type: "textarea",
            value: element.value,
            checked: false,
            disabled: element.disabled,
            options: [],
            min: null,
            max: null,
          });
        }
      }
      return {
        method: (form.getAttribute("method") ?? "get").toLowerCase(),
        action: form.getAttribute("action"),
        enctype: form.getAttribute("enctype"),
        controls,
        submitters,
      };
    });
    const links = [...document.querySelectorAll("a[href]")].map((a) => a.getAttribute("href")!);
    return { forms, links };
  });
  // Media addresses sit in the page's data as well as in src attributes.
  const media = [
    ...new Set([...html.matchAll(/\/media\/[A-Za-z0-9_.-]+\/[A-Za-z0-9_./-]+/g)].map((match) => match[0])),
  ];
  return { ...parsed, media };
}

/** A browser page that parses HTML and loads nothing. */
export async function parserPage(page: Page) {
  await page.route("**/*", (route) => route.abort());
  return page;
}
