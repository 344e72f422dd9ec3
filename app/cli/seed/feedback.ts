import { randomBytes } from "node:crypto";
import { asc, eq } from "drizzle-orm";
import * as schema from "#db/schema";
import { demoMunicipality } from "./accounts";
import type { Tx } from "~/db.server";
import { weekOf } from "~/feedback/responses.server";
import { danishDate } from "~/i18n/dates";

type SeedQuestion = {
  kind: schema.FeedbackQuestionKind;
  text: string;
  required?: boolean;
  lowLabel?: string;
  highLabel?: string;
  choices?: string[];
};

const demoForms: Record<schema.FeedbackAudience, { title: string; intro: string; questions: SeedQuestion[] }> = {
  staff: {
    title: "Hvad syntes du om kurset?",
    intro: "Dine svar hjælper os med at gøre kurset bedre. Det tager omkring to minutter.",
    questions: [
      {
        kind: "scale",
        text: "Hvor godt kan du bruge kurset i dit daglige arbejde?",
        lowLabel: "Slet ikke",
        highLabel: "I høj grad",
      },
      {
        kind: "scale",
        text: "Hvor tryg er du nu ved at handle, hvis du er bekymret for et barn?",
        lowLabel: "Slet ikke tryg",
        highLabel: "Meget tryg",
      },
      { kind: "recommend", text: "Hvor sandsynligt er det, at du vil anbefale kurset til en kollega?" },
      {
        kind: "choice",
        text: "Hvor så du oftest filmene?",
        choices: ["På arbejdet, alene", "På arbejdet, sammen med kolleger", "Hjemme", "Et andet sted"],
      },
      { kind: "text", text: "Hvad skal vi gøre bedre?", required: false },
    ],
  },
  leader: {
    title: "Ledernes vurdering af kurset",
    intro:
      "Som leder ser du kurset fra en anden vinkel end dine medarbejdere. Fortæl os, hvordan det passer til jeres arbejde.",
    questions: [
      {
        kind: "scale",
        text: "Hvor godt passer kurset til jeres arbejde med tidlig opsporing?",
        lowLabel: "Slet ikke",
        highLabel: "I høj grad",
      },
      { kind: "recommend", text: "Hvor sandsynligt er det, at du vil anbefale kurset til en anden leder?" },
      {
        kind: "choice",
        text: "Hvordan har I brugt kurset i jeres enhed?",
        choices: ["Hver for sig", "Sammen på et personalemøde", "Begge dele", "Ikke endnu"],
      },
      { kind: "text", text: "Hvad har kurset ændret i jeres praksis?", required: false },
    ],
  },
};

type DemoResponse = {
  audience: schema.FeedbackAudience;
  profession: schema.Profession;
  answers: (number | string | null)[];
};

/**
 * Answers from made-up people in Demo Kommune, so the dashboard has something to show: nine
 * from staff (five of them pedagogues, so that one profession clears the minimum group) and
 * three from leaders, too few to show.
 */
const demoResponses: DemoResponse[] = [
  {
    audience: "staff",
    profession: "pedagogue",
    answers: [5, 4, 9, "På arbejdet, sammen med kolleger", "Filmene om de unges egne oplevelser gjorde stort indtryk."],
  },
  { audience: "staff", profession: "pedagogue", answers: [4, 4, 8, "På arbejdet, alene", null] },
  {
    audience: "staff",
    profession: "pedagogue",
    answers: [
      5,
      5,
      10,
      "På arbejdet, sammen med kolleger",
      "Godt, at refleksionsspørgsmålene kan bruges på personalemødet.",
    ],
  },
  { audience: "staff", profession: "pedagogue", answers: [3, 4, 7, "Hjemme", null] },
  {
    audience: "staff",
    profession: "pedagogue",
    answers: [4, 3, 8, "På arbejdet, alene", "Gerne flere eksempler på, hvordan man tager samtalen med forældrene."],
  },
  { audience: "staff", profession: "teacher", answers: [4, 4, 9, "På arbejdet, sammen med kolleger", null] },
  {
    audience: "staff",
    profession: "teacher",
    answers: [3, 3, 6, "Hjemme", "Filmene var lidt lange til en travl skoledag, men meget relevante."],
  },
  { audience: "staff", profession: "healthVisitor", answers: [5, 4, 9, "På arbejdet, alene", null] },
  { audience: "staff", profession: "healthVisitor", answers: [4, 5, 10, "Et andet sted", null] },
  {
    audience: "leader",
    profession: "pedagogue",
    answers: [5, 9, "Sammen på et personalemøde", "Vi taler mere åbent om bekymringer i personalegruppen."],
  },
  { audience: "leader", profession: "pedagogue", answers: [4, 8, "Begge dele", null] },
  { audience: "leader", profession: "other", answers: [4, 7, "Hver for sig", null] },
];

/**
 * A form for staff and one for leaders on every course, open from the day of seeding, and the
 * demo answers on the first course. A form that already exists is the owner's and is left alone.
 */
export function seedFeedback(tx: Tx, now: Date) {
  const today = danishDate(now);
  const courseRows = tx
    .select({ id: schema.courses.id })
    .from(schema.courses)
    .orderBy(asc(schema.courses.position))
    .all();
  const demo = tx
    .select({ id: schema.organisations.id })
    .from(schema.organisations)
    .where(eq(schema.organisations.slug, demoMunicipality.slug))
    .get();
  courseRows.forEach((course, courseIndex) => {
    for (const audience of schema.feedbackAudiences) {
      const form = demoForms[audience];
      const created = tx
        .insert(schema.feedbackForms)
        .values({
          courseId: course.id,
          audience,
          title: form.title,
          intro: form.intro,
          anonymous: true,
          opensOn: today,
          updatedAt: now,
        })
        .onConflictDoNothing()
        .returning({ id: schema.feedbackForms.id })
        .get();
      if (!created) continue;
      const questionIds = form.questions.map(
        (question, index) =>
          tx
            .insert(schema.feedbackQuestions)
            .values({
              formId: created.id,
              position: index + 1,
              kind: question.kind,
              text: question.text,
              required: question.required ?? true,
              lowLabel: question.lowLabel ?? null,
              highLabel: question.highLabel ?? null,
              choices: question.choices ? JSON.stringify(question.choices) : null,
            })
            .returning({ id: schema.feedbackQuestions.id })
            .get().id,
      );
      if (courseIndex !== 0 || !demo) continue;
      for (const response of demoResponses.filter((r) => r.audience === audience)) {
        const responseId = randomBytes(16).toString("base64url");
        tx.insert(schema.feedbackResponses)
          .values({
            id: responseId,
            formId: created.id,
            organisationId: demo.id,
            audience,
            profession: response.profession,
            submittedWeek: weekOf(today),
          })
          .run();
        response.answers.forEach((answer, index) => {
          if (answer == null) return;
          tx.insert(schema.feedbackAnswers)
            .values({
              responseId,
              questionId: questionIds[index]!,
              score: typeof answer === "number" ? answer : null,
              text: typeof answer === "string" ? answer : null,
            })
            .run();
        });
      }
    }
  });
}
