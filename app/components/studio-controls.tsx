import { getFormProps, type FormMetadata } from "@conform-to/react";
import { Form, Link, useLocation } from "@remix-run/react";
import type { ReactNode } from "react";
import type { StudioModule } from "~/catalog/studio-views.server";
import { FormMessage } from "~/components/form-message";
import { ScrollingTable } from "~/components/scrolling-table";
import type { MessageKey } from "~/i18n/da";
import { formatClock, useT } from "~/i18n/i18n";
import type { FormReply } from "~/utils/form-reply";
import { ActionsColumnHeader } from "./actions-column-header";

/**
 * Where the studio's forms post: the page's own address. Left to itself, a form on an index route
 * posts to "…?index" (to tell the route from a parent layout), and that address stays in the
 * address bar after a save. The studio's pages have no parent layout, so the plain address
 * reaches their action, with JavaScript and without.
 */
export function usePageAction() {
  return useLocation().pathname;
}

/**
 * A studio form that does one thing (`intent`): posted to the page, the action's reply to it
 * above its fields, and one button that sends it.
 */
export function StudioForm<Schema extends Record<string, unknown>>({
  form,
  intent,
  reply,
  submitLabel,
  children,
}: {
  form: FormMetadata<Schema, string[]>;
  intent: string;
  reply: FormReply | undefined;
  submitLabel: string;
  children: ReactNode;
}) {
  return (
    <Form method="post" action={usePageAction()} {...getFormProps(form)} className="form">
      <FormMessage reply={reply} id={form.errorId} />
      <input type="hidden" name="intent" value={intent} />
      {children}
      <div>
        <button type="submit" className="button">
          {submitLabel}
        </button>
      </div>
    </Form>
  );
}

/** A list button's text, and the name a screen reader hears when the text alone does not say which item. */
type ListButton = { text: string; label?: string };

/**
 * Move up, move down and remove for one item of a list in a builder's form. They change the form
 * only, with or without JavaScript; a move with nowhere to go, or a `remove` not given, is left out.
 */
export function ListItemButtons<Schema extends Record<string, unknown>>({
  form,
  list,
  index,
  count,
  className,
  buttonClassName,
  up,
  down,
  remove,
}: {
  form: FormMetadata<Schema, string[]>;
  /** The list field's name. */
  list: string;
  index: number;
  count: number;
  className: string;
  buttonClassName: string;
  up: ListButton;
  down: ListButton;
  remove?: ListButton;
}) {
  return (
    <div className={className}>
      {index > 0 ? (
        <button
          {...form.reorder.getButtonProps({ name: list, from: index, to: index - 1 })}
          className={buttonClassName}
          aria-label={up.label}
        >
          {up.text}
        </button>
      ) : null}
      {index < count - 1 ? (
        <button
          {...form.reorder.getButtonProps({ name: list, from: index, to: index + 1 })}
          className={buttonClassName}
          aria-label={down.label}
        >
          {down.text}
        </button>
      ) : null}
      {remove ? (
        <button
          {...form.remove.getButtonProps({ name: list, index })}
          className={buttonClassName}
          aria-label={remove.label}
        >
          {remove.text}
        </button>
      ) : null}
    </div>
  );
}

/** The course or module a row's buttons act on; left out on the item's own page, whose address names it. */
type Target = { name: "courseId" | "moduleId"; id: number };

function TargetInput({ target }: { target?: Target }) {
  return target ? <input type="hidden" name={target.name} value={target.id} /> : null;
}

/**
 * Plain buttons in a form, so the order can be changed with the keyboard and without JavaScript.
 * `fields` are the hidden fields that name what is moved.
 */
export function MoveButtons({
  intent,
  fields,
  title,
  first,
  last,
}: {
  intent: string;
  fields: Record<string, string | number>;
  title: string;
  first: boolean;
  last: boolean;
}) {
  const t = useT();
  return (
    <Form method="post" action={usePageAction()} className="studio-controls__form">
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button
        type="submit"
        name="direction"
        value="up"
        className="button button--secondary button--small"
        disabled={first}
        aria-label={t("studio.moveUpFor", { title })}
      >
        {t("studio.moveUp")}
      </button>
      <button
        type="submit"
        name="direction"
        value="down"
        className="button button--secondary button--small"
        disabled={last}
        aria-label={t("studio.moveDownFor", { title })}
      >
        {t("studio.moveDown")}
      </button>
    </Form>
  );
}

/**
 * Publish or withdraw. `blocked` says why an unpublished item cannot be published yet; it is shown
 * instead of a button that could only be refused. Withdrawing is always offered.
 */
export function PublishButton({
  intent,
  target,
  title,
  published,
  blocked,
}: {
  intent: string;
  target?: Target;
  title: string;
  published: boolean;
  blocked?: MessageKey;
}) {
  const t = useT();
  const action = usePageAction();
  if (!published && blocked) return <p className="field__hint">{t(blocked)}</p>;
  return (
    <Form method="post" action={action} className="studio-controls__form">
      <input type="hidden" name="intent" value={intent} />
      <TargetInput target={target} />
      <input type="hidden" name="published" value={published ? "false" : "true"} />
      <button
        type="submit"
        className="button button--secondary button--small"
        aria-label={t(published ? "studio.unpublishFor" : "studio.publishFor", { title })}
      >
        {t(published ? "studio.unpublish" : "studio.publish")}
      </button>
    </Form>
  );
}

/** A listed course's or module's own buttons: move it up or down, publish or withdraw it. */
export function ListedItemControls({
  kind,
  item,
  first,
  last,
  blocked,
}: {
  kind: "course" | "module";
  item: { id: number; title: string; published: boolean };
  first: boolean;
  last: boolean;
  blocked?: MessageKey;
}) {
  const target: Target = { name: kind === "course" ? "courseId" : "moduleId", id: item.id };
  const [move, publish] = kind === "course" ? ["moveCourse", "publishCourse"] : ["moveModule", "publishModule"];
  return (
    <div className="studio-controls">
      <MoveButtons intent={move} fields={{ [target.name]: target.id }} title={item.title} first={first} last={last} />
      <PublishButton intent={publish} target={target} title={item.title} published={item.published} blocked={blocked} />
    </div>
  );
}

/** Why a module cannot be published yet, if it cannot: it needs a film, and the film Danish subtitles. */
export function publishBlocker(module: Pick<StudioModule, "hasFilm" | "hasDanishSubtitles">): MessageKey | undefined {
  if (!module.hasFilm) return "studio.moduleNeedsFilm";
  return module.hasDanishSubtitles ? undefined : "studio.moduleNeedsSubtitles";
}

export function PublishedState({ published }: { published: boolean }) {
  const t = useT();
  return (
    <span className={published ? "state state--published" : "state"}>
      {t(published ? "studio.published" : "studio.unpublished")}
    </span>
  );
}

type PageLink = { to: string; label: string };

/**
 * The top of a course's or a module's own page: the way back, whether learners see it, a look at
 * it as they would, and its publish button. `children` come between the state and the button.
 */
export function StudioItemHeading({
  back,
  title,
  published,
  preview,
  publishIntent,
  blocked,
  children,
}: {
  back: PageLink;
  title: string;
  published: boolean;
  preview: PageLink;
  publishIntent: "publishCourse" | "publishModule";
  blocked?: MessageKey;
  children?: ReactNode;
}) {
  return (
    <>
      <p className="breadcrumb">
        <Link to={back.to}>{back.label}</Link>
      </p>
      <h1>{title}</h1>
      <p className="course-card__meta">
        <PublishedState published={published} /> · <Link to={preview.to}>{preview.label}</Link>
      </p>
      {children}
      <FormMessage formId={publishIntent} />
      <div className="studio-controls">
        <PublishButton intent={publishIntent} title={title} published={published} blocked={blocked} />
      </div>
    </>
  );
}

/** What each module has and lacks, in course order; `actions` adds a column of buttons. */
export function ModuleTable({
  label,
  modules,
  actions,
}: {
  label: string;
  modules: StudioModule[];
  actions?: (module: StudioModule, index: number) => ReactNode;
}) {
  const t = useT();
  return (
    <ScrollingTable label={label}>
      <thead>
        <tr>
          <th scope="col">{t("studio.column.module")}</th>
          <th scope="col">{t("studio.column.status")}</th>
          <th scope="col">{t("studio.column.film")}</th>
          <th scope="col">{t("studio.column.quiz")}</th>
          <th scope="col">{t("studio.column.reflection")}</th>
          {actions ? <ActionsColumnHeader /> : null}
        </tr>
      </thead>
      <tbody>
        {modules.map((module, index) => (
          <tr key={module.id}>
            <th scope="row">
              <Link to={`/ejer/studie/moduler/${module.id}`}>{module.title}</Link>
            </th>
            <td>
              <PublishedState published={module.published} />
            </td>
            <td>{module.hasFilm ? formatClock(module.durationSeconds ?? 0) : t("studio.noFilm")}</td>
            <td>
              {module.quizQuestionCount === null
                ? t("studio.noQuiz")
                : t("studio.questionCount", { count: module.quizQuestionCount })}
            </td>
            <td>
              {module.reflectionCount === 0
                ? t("studio.noReflection")
                : t("studio.questionCount", { count: module.reflectionCount })}
            </td>
            {actions ? <td>{actions(module, index)}</td> : null}
          </tr>
        ))}
      </tbody>
    </ScrollingTable>
  );
}
