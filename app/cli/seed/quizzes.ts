import { eq } from "drizzle-orm";
import * as schema from "#db/schema";
import type { Tx } from "~/db.server";

type SeedQuestion = {
  kind: schema.QuizQuestionKind;
  text: string;
  explanation: string;
  /** Text and whether the option is correct. */
  options: [string, boolean][];
};

/** A short demo quiz on the first film of each course, on what the film's description says it shows. */
export const seedQuizzes: { moduleSlug: string; questions: SeedQuestion[] }[] = [
  {
    moduleSlug: "sofie-ingen-spurgte-til-mig",
    questions: [
      {
        kind: "single",
        text: "Hvilke tegn fortæller Sofie selv om fra sin tid i 3.-6. klasse?",
        explanation:
          "Sofie nævner selv den manglende madpakke og det samme tøj dag efter dag. Små tegn, der gentager sig, er værd at lægge mærke til.",
        options: [
          ["Hun kom ofte i skole uden madpakke og i det samme tøj", true],
          ["Hun kom ofte op at slås med de andre børn", false],
          ["Hun fik pludselig meget dårligere karakterer", false],
        ],
      },
      {
        kind: "trueFalse",
        text: "Sofie fortæller, at lærerne spurgte hende, hvordan hun havde det derhjemme.",
        explanation:
          "Hun husker lærerne som søde, men ingen spurgte. Et venligt og direkte spørgsmål kan være det, der åbner for en samtale.",
        options: [
          ["Sandt", false],
          ["Falsk", true],
        ],
      },
      {
        kind: "multiple",
        text: "Hvem omkring et barn som Sofie kan se tegn på omsorgssvigt? Vælg alle, der passer.",
        explanation:
          "Mange fagfolk møder barnet: skolen, sundhedsplejen, tandplejen og klubben. Hver ser en lille del, og billedet bliver først tydeligt, når I deler det.",
        options: [
          ["Lærerne", true],
          ["Sundhedsplejersken", true],
          ["Tandplejen", true],
          ["Ingen uden for hjemmet kan se det", false],
        ],
      },
    ],
  },
  {
    moduleSlug: "laereren-naar-et-barn-aendrer-sig",
    questions: [
      {
        kind: "single",
        text: "Hvad ændrede sig hos pigen i 4. klasse i løbet af et halvt år?",
        explanation:
          "Læreren beskriver en ændring, der kom gradvist over et halvt år. Det er netop ændringen over tid, der gør den værd at følge.",
        options: [
          ["Hun blev mere træt, kom for sent og holdt op med at lave lektier", true],
          ["Hun fik nye venner og blev mere udadvendt", false],
          ["Hun begyndte at komme meget tidligt i skole", false],
        ],
      },
      {
        kind: "single",
        text: "Hvad hjalp læreren til at se et mønster frem for enkelte episoder?",
        explanation:
          "Korte notater og en kollega at vende tvivlen med gør det lettere at se, om små iagttagelser hænger sammen.",
        options: [
          ["Hendes notater og samtaler med kollegerne", true],
          ["At vente og se, om det gik over af sig selv", false],
          ["At spørge de andre elever i klassen", false],
        ],
      },
    ],
  },
  {
    moduleSlug: "sundhedsplejersken-vaegten-der-staar-stille",
    questions: [
      {
        kind: "trueFalse",
        text: "Drengens vægt havde næsten ikke ændret sig siden sidste måling.",
        explanation:
          "En vægt, der står stille hos et barn i vækst, er en vigtig oplysning, især sammen med andre tegn som træthed.",
        options: [
          ["Sandt", true],
          ["Falsk", false],
        ],
      },
      {
        kind: "multiple",
        text: "Hvad gjorde sundhedsplejersken? Vælg alle, der passer.",
        explanation:
          "Hun talte både med drengen og med hans mor og tog kontakt til skolen. Målinger og helbred er et vigtigt stykke af et samlet billede.",
        options: [
          ["Hun talte med drengen", true],
          ["Hun talte med hans mor", true],
          ["Hun tog kontakt til skolen", true],
          ["Hun ventede til næste års måling", false],
        ],
      },
    ],
  },
  {
    moduleSlug: "samtalen-med-barnet",
    questions: [
      {
        kind: "single",
        text: "Et barn beder dig love ikke at fortælle det videre. Hvad gør du?",
        explanation:
          "Du kan ikke love at holde på en hemmelighed, når et barn kan være i fare. Fortæl ærligt, hvad der skal ske bagefter, så barnet ikke føler sig snydt.",
        options: [
          ["Du lover det ikke, men forklarer, hvem du skal tale med, og hvad der skal ske", true],
          ["Du lover det, så barnet tør fortælle mere", false],
          ["Du stopper samtalen med det samme", false],
        ],
      },
      {
        kind: "multiple",
        text: "Hvad kendetegner en god samtale med et barn, du er bekymret for? Vælg alle, der passer.",
        explanation:
          "Åbne spørgsmål og ro giver barnet plads til at fortælle med egne ord. Ledende spørgsmål presser barnet og gør det sværere at bruge det, barnet siger.",
        options: [
          ["Du stiller åbne spørgsmål", true],
          ["Du lytter uden at presse", true],
          ["Barnets egne ord bliver taget med videre", true],
          ["Du stiller ledende spørgsmål, så barnet hurtigt kommer til sagen", false],
        ],
      },
    ],
  },
];

/** Adds each demo quiz once; a quiz already on the module, perhaps edited by the owner, is left as it is. */
export function seedDemoQuizzes(tx: Tx, now: Date) {
  for (const quiz of seedQuizzes) {
    const module = tx
      .select({ id: schema.modules.id })
      .from(schema.modules)
      .where(eq(schema.modules.slug, quiz.moduleSlug))
      .get();
    if (!module) throw new Error(`Demoquizzen hører til en film, der ikke findes: ${quiz.moduleSlug}`);
    const inserted = tx
      .insert(schema.quizzes)
      .values({ moduleId: module.id, updatedAt: now })
      .onConflictDoNothing()
      .returning({ id: schema.quizzes.id })
      .get();
    if (!inserted) continue;
    quiz.questions.forEach((question, questionIndex) => {
      const { id: questionId } = tx
        .insert(schema.quizQuestions)
        .values({
          quizId: inserted.id,
          position: questionIndex + 1,
          kind: question.kind,
          text: question.text,
          explanation: question.explanation,
        })
        .returning({ id: schema.quizQuestions.id })
        .get();
      question.options.forEach(([text, correct], optionIndex) => {
        tx.insert(schema.quizOptions)
          .values({ questionId, position: optionIndex + 1, text, correct })
          .run();
      });
    });
  }
}
