/**
 * Demo catalog for Rettidig: seeded into an empty database so the platform has
 * courses and films to show from the first start. The media attached to these
 * modules are synthetic demo videos; the real films replace them when they are
 * ingested. All people in the texts are fictional, and the young people's names
 * are pseudonyms.
 */

export type SeedModule = {
  slug: string;
  title: string;
  /** 2–4 sentences: who speaks in the film and what it shows, and what the viewer should notice. */
  description: string;
  /** 3–4 open questions for a staff meeting, each one sentence ending with "?" */
  reflectionQuestions: string[];
};

export type SeedCourse = {
  slug: string;
  title: string;
  /** 1–2 sentences for the course card. */
  summary: string;
  modules: SeedModule[];
};

export const seedCatalog: SeedCourse[] = [
  {
    slug: "unges-egne-fortaellinger",
    title: "Unges egne fortællinger",
    summary:
      "Start her. Fire unge fortæller med egne ord om en barndom med omsorgssvigt og om de voksne, der så dem – eller ikke gjorde.",
    modules: [
      {
        slug: "sofie-ingen-spurgte-til-mig",
        title: "Sofie: Ingen spurgte til mig",
        description:
          "Sofie (pseudonym) er 17 år og fortæller om sin tid i 3.–6. klasse, hvor hun ofte kom i skole uden madpakke og i det samme tøj. Hun husker lærerne som søde, men ingen spurgte, hvordan hun havde det derhjemme. Læg mærke til de små tegn, hun selv nævner, og til hvad hun siger, at hun havde brug for.",
        reflectionQuestions: [
          "Hvilke af de tegn, Sofie beskriver, ville vi have lagt mærke til hos et barn i vores egen hverdag?",
          "Hvad kan gøre det svært for os at spørge et barn direkte, hvordan det har det derhjemme?",
          "Hvem andre omkring Sofie – fx sundhedsplejersken, tandplejen eller klubben – kunne have set noget, og hvordan kunne vi have delt det?",
          "Hvad ville et godt første spørgsmål til Sofie have været, da hun var ni år?",
        ],
      },
      {
        slug: "mikkel-den-stille-dreng-bagerst",
        title: "Mikkel: Den stille dreng bagerst i klassen",
        description:
          "Mikkel (pseudonym) er 19 år. Som barn var han stille, klarede sig godt i skolen og lavede aldrig ballade, mens hans far drak, og hans mor var syg. Han fortæller, hvordan han gemte sig ved at være nem. Læg mærke til, at omsorgssvigt ikke altid ser uroligt ud, og til hvad Mikkel siger om den ene voksne, der til sidst opdagede det.",
        reflectionQuestions: [
          "Hvordan sikrer vi, at de stille og velfungerende børn også bliver set i vores hverdag?",
          "Hvilke tegn på mistrivsel kan gemme sig bag et barn, der klarer sig godt fagligt?",
          "Hvad gjorde den voksne, som til sidst opdagede det, og hvad kan vi lære af det?",
          "Hvordan kan vi tale med et barn, der beskytter sine forældre, uden at barnet føler, at det svigter dem?",
        ],
      },
      {
        slug: "amira-vi-flyttede-hele-tiden",
        title: "Amira: Vi flyttede hele tiden",
        description:
          "Amira (pseudonym) er 18 år og gik på fem forskellige skoler, før hun fyldte tolv. Hun fortæller om mange flytninger, en mor med psykisk sygdom og voksne, der hver især kun så et lille stykke af billedet. Læg mærke til, hvordan viden gik tabt, hver gang hun skiftede skole, og hvad det betød for hende.",
        reflectionQuestions: [
          "Hvad sker der med vores bekymring for et barn, når barnet flytter eller skifter skole?",
          "Hvordan kan vi samle de små stykker viden, som forskellige fagpersoner har om det samme barn?",
          "Hvad skal et barn i Amiras situation vide om, hvem det kan gå til, når det starter på en ny skole?",
          "Hvornår i Amiras fortælling burde nogen have handlet, og hvad stod i vejen for det?",
        ],
      },
      {
        slug: "jonas-paedagogen-der-blev-ved",
        title: "Jonas: Pædagogen, der blev ved med at spørge",
        description:
          "Jonas (pseudonym) er 20 år og fortæller om pædagogen i fritidsordningen, som lagde mærke til, at han altid blev hentet sidst og ofte var sulten. Hun spurgte roligt og mange gange, og hun fortalte ham ærligt, hvad hun ville gøre. Læg mærke til, hvad der fik Jonas til at turde fortælle, og hvordan hun holdt ham orienteret undervejs.",
        reflectionQuestions: [
          "Hvad gjorde pædagogen, som fik Jonas til at stole på hende?",
          "Hvordan kan vi fortælle et barn ærligt, hvad vi gør med det, barnet har betroet os?",
          "Hvad gør vi hos os, når vi igen og igen ser et barn, der virker sultent, træt eller glemt?",
          "Hvad betyder det for et barn, at den samme voksne følger op over tid, og hvordan sikrer vi det hos os?",
        ],
      },
    ],
  },
  {
    slug: "i-skolen-og-fritiden",
    title: "I skolen og fritiden",
    summary:
      "Lærere og pædagoger fortæller om børn, der viste tegn på mistrivsel i klassen, i idrætstimen og i SFO. Du hører, hvordan bekymringen opstod, og hvad de gjorde ved den.",
    modules: [
      {
        slug: "laereren-naar-et-barn-aendrer-sig",
        title: "Læreren: Når et barn ændrer sig",
        description:
          "En klasselærer i 4. klasse fortæller om en pige, der i løbet af et halvt år blev mere træt, kom for sent og holdt op med at lave lektier. Hun beskriver sin tvivl om, hvorvidt det bare var en periode eller noget mere. Læg mærke til, hvordan hun brugte sine notater og sine kolleger til at se et mønster frem for enkelte episoder.",
        reflectionQuestions: [
          "Hvornår går en ændring hos et barn fra at være en periode til at være en bekymring?",
          "Hvordan noterer vi små iagttagelser, så vi kan se et mønster over tid?",
          "Hvem på vores arbejdsplads kan vi vende en tidlig tvivl med, før den vokser sig stor?",
          "Hvordan kunne læreren have spurgt pigen selv om, hvad der havde ændret sig?",
        ],
      },
      {
        slug: "paedagogen-i-sfo-barnet-der-ikke-vil-hjem",
        title: "Pædagogen i SFO: Barnet, der ikke vil hjem",
        description:
          "En pædagog fra en SFO fortæller om en dreng på otte år, der blev urolig og vred, hver gang det nærmede sig hentetid. I SFO'en ser pædagogerne børnene i leg, ved måltider og når de bliver hentet, og her viser der sig andre tegn end i klassen. Læg mærke til, hvordan pædagogen delte sine iagttagelser med drengens lærer.",
        reflectionQuestions: [
          "Hvilke tegn ser vi i leg, ved måltider og ved afhentning, som lærerne måske ikke ser i klassen?",
          "Hvordan sikrer vi, at pædagoger og lærere faktisk deler deres iagttagelser om det samme barn?",
          "Hvordan kan vi tale med et barn om, hvorfor det ikke har lyst til at gå hjem?",
          "Hvad gør vi i dag, når en forælder henter et barn, og vi får en dårlig fornemmelse?",
        ],
      },
      {
        slug: "idraetslaereren-maerkerne-paa-armen",
        title: "Idrætslæreren: Mærkerne på armen",
        description:
          "En idrætslærer fortæller om dagen, hvor hun i omklædningsrummet så mærker på en drengs arme og ryg. Hun beskriver, hvordan hun talte roligt med ham, gik direkte til sin leder og fik bekymringen videre samme dag. Læg mærke til forskellen på en bekymring, der kan vente lidt, og en situation, hvor man skal handle med det samme.",
        reflectionQuestions: [
          "Hvordan skelner vi mellem en bekymring, der kan afvente en samtale, og en, der kræver handling samme dag?",
          "Hvad siger vi til et barn, der viser os mærker, så det føler sig trygt uden at føle sig forhørt?",
          "Ved alle på vores arbejdsplads, hvem de skal gå til, hvis de ser noget alvorligt en fredag eftermiddag?",
          "Hvordan følger vi op over for barnet dagen efter, så det ikke står alene med det, det har vist os?",
        ],
      },
      {
        slug: "laerer-og-paedagog-pigen-uden-for-faellesskabet",
        title: "Lærer og pædagog: Pigen uden for fællesskabet",
        description:
          "En lærer og en pædagog fra samme indskoling fortæller sammen om en pige, som klassekammeraterne holdt afstand til, fordi hun ofte lugtede og havde beskidt tøj på. De beskriver, hvordan de tog hånd om både pigen og klassens fællesskab. Læg mærke til, hvordan de fordelte opgaverne, og hvordan de spurgte pigen, hvad hun selv ønskede.",
        reflectionQuestions: [
          "Hvordan kan vi hjælpe et barn med dårlig hygiejne uden at udstille det over for klassen?",
          "Hvornår er manglende hygiejne et tegn på omsorgssvigt, og hvornår kan det handle om noget andet?",
          "Hvordan fordeler vi ansvaret mellem lærer og pædagog, så barnet ikke falder mellem to stole?",
          "Hvordan spørger vi barnet selv, hvad det har brug for, når det handler om noget så sårbart?",
        ],
      },
    ],
  },
  {
    slug: "sundhedspleje-og-tandpleje",
    title: "Sundhedspleje og tandpleje",
    summary:
      "Sundhedsplejersker og tandplejens personale møder børnene på en anden måde end skolen. De fortæller om de tegn, de ser, og om hvordan deres viden kommer i spil sammen med andres.",
    modules: [
      {
        slug: "sundhedsplejersken-vaegten-der-staar-stille",
        title: "Sundhedsplejersken: Vægten, der står stille",
        description:
          "En sundhedsplejerske fortæller om en dreng på syv år, hvis vægt næsten ikke havde ændret sig siden sidste måling, og som virkede meget træt. Hun beskriver samtalen med drengen og senere med hans mor, og hvordan hun tog kontakt til skolen. Læg mærke til, hvordan målinger og helbred kan være et vigtigt stykke af et samlet billede.",
        reflectionQuestions: [
          "Hvilken viden fra sundhedsplejen kan gøre en forskel for skolen, og hvordan deler vi den på en forsvarlig måde?",
          "Hvordan kan vi tale med forældre om et barns helbred, så de føler sig inviteret ind frem for anklaget?",
          "Hvordan inddrager vi barnet i en helbredssamtale, så det er barnets egen oplevelse, vi hører?",
          "Hvor tidligt bør sundhedsplejersken inddrages, når skolen er bekymret for et barn?",
        ],
      },
      {
        slug: "skolesundhedsplejersken-ondt-i-maven",
        title: "Skolesundhedsplejersken: Ondt i maven hver mandag",
        description:
          "En sundhedsplejerske på en skole fortæller om en pige på ti år, der kom til hendes åbne konsultation næsten hver mandag med ondt i maven eller hovedet. Først efter mange besøg fortalte pigen om weekenderne derhjemme. Læg mærke til, hvordan gentagne små klager kan være et barns måde at søge en voksen på.",
        reflectionQuestions: [
          "Hvilke gentagne klager eller besøg kan være et barns måde at bede om hjælp på?",
          "Hvordan giver vi et barn rum og tid til at nå at fortælle det, det egentlig kom for?",
          "Hvordan får klasselæreren besked, når sundhedsplejersken ser et mønster, og omvendt?",
          "Hvad kan vi gøre allerede nu for at gøre det lettere for børn at finde vej til sundhedsplejersken?",
        ],
      },
      {
        slug: "tandplejen-de-mange-udeblivelser",
        title: "Tandplejen: De mange udeblivelser",
        description:
          "En tandlæge og en klinikassistent fra den kommunale tandpleje fortæller om en dreng på ni år med mange huller og smerter, som udeblev fra den ene aftale efter den anden. I lang tid sendte de blot en ny indkaldelse. Læg mærke til, hvornår udeblivelser holder op med at være et praktisk problem og bliver et tegn på omsorgssvigt.",
        reflectionQuestions: [
          "Hvornår ser vi udeblivelser som en bekymring og ikke kun som en praktisk sag?",
          "Hvordan kan tandplejen og skolen hjælpe hinanden, når et barn ikke bliver bragt til behandling?",
          "Hvordan taler vi med et barn, der har ondt og skammer sig over sine tænder?",
          "Har vi en fast aftale om, hvem i tandplejen der giver en bekymring videre, og til hvem?",
        ],
      },
      {
        slug: "tandplejen-naar-frygten-er-for-stor",
        title: "Tandplejen: Når frygten er for stor",
        description:
          "En tandplejer fortæller om en pige på elleve år, der gik helt i stå af frygt, da hun skulle lægge sig i stolen, og som ikke kunne tåle at blive rørt ved. Tandplejeren beskriver, hvordan hun gav pigen tid, spurgte forsigtigt og talte med en kollega bagefter. Læg mærke til, at kroppens reaktioner kan være et tegn, men at de aldrig kan stå alene.",
        reflectionQuestions: [
          "Hvordan skelner vi mellem almindelig tandlægeskræk og en reaktion, der giver grund til bekymring?",
          "Hvordan kan vi give et bange barn en følelse af kontrol, når vi er nødt til at røre ved det?",
          "Hvem kan tandplejen dele en vag bekymring med, før den er klar nok til at handle på?",
          "Hvilke spørgsmål ville vi stille pigen, og hvilke ville vi lade være med at stille?",
        ],
      },
    ],
  },
  {
    slug: "fra-bekymring-til-handling",
    title: "Fra bekymring til handling – sammen",
    summary:
      "Hvad gør vi, når bekymringen er der? Filmene følger vejen fra den første tvivl over samtalerne med barnet og forældrene til underretning og opfølgning – på tværs af faggrupper.",
    modules: [
      {
        slug: "samtalen-med-barnet",
        title: "Samtalen med barnet",
        description:
          "En PPR-psykolog og en lærer viser, hvordan man kan tale med et barn, man er bekymret for. De taler om at stille åbne spørgsmål, lytte uden at presse og ikke love at holde på en hemmelighed. Læg mærke til, hvordan de forklarer barnet, hvad der skal ske bagefter, og hvordan barnets egne ord bliver taget med videre.",
        reflectionQuestions: [
          "Hvad siger vi, når et barn beder os om at love ikke at fortælle det til nogen?",
          "Hvilke åbne spørgsmål føler vi os trygge ved at stille, og hvilke spørgsmål bør vi undgå?",
          "Hvordan sikrer vi, at barnets egne ord og ønsker kommer med, når bekymringen går videre?",
          "Hvem hos os kan støtte en kollega, der skal tage en svær samtale med et barn?",
        ],
      },
      {
        slug: "samtalen-med-foraeldrene",
        title: "Samtalen med forældrene",
        description:
          "En socialrådgiver og en pædagog fortæller om at dele en bekymring med forældre på en ærlig og respektfuld måde, og de giver eksempler på, hvordan man beskriver det, man har set, uden at dømme. De taler også om situationer, hvor man først skal tale med sin leder eller kommunen, fordi en samtale med forældrene kan gøre det værre for barnet.",
        reflectionQuestions: [
          "Hvordan kan vi fortælle forældre, hvad vi har set, uden at det lyder som en anklage?",
          "Hvornår bør vi rådføre os med vores leder eller kommunen, før vi taler med forældrene?",
          "Hvad kan vi gøre for at få forældrene med som samarbejdspartnere, når det er muligt?",
          "Hvordan fortæller vi barnet, at vi har talt med dets forældre, og hvad der blev sagt?",
        ],
      },
      {
        slug: "underretningen-naar-bekymringen-skal-videre",
        title: "Underretningen: Når bekymringen skal videre",
        description:
          "En socialrådgiver fra kommunen og en skoleleder forklarer i enkle ord, hvad det betyder at have skærpet underretningspligt som offentligt ansat. Man behøver ikke at være sikker for at underrette, og en underretning er ikke en anklage mod forældrene. Læg mærke til, hvad en god underretning indeholder, og hvad der sker, når kommunen har modtaget den.",
        reflectionQuestions: [
          "Hvad holder os nogle gange tilbage fra at underrette, selv om vi er bekymrede?",
          "Hvordan beskriver vi det, vi har set og hørt, så det er konkret og let at forstå for kommunen?",
          "Hvordan kan vi fortælle barnet, at vi sender en underretning, og hvad det betyder?",
          "Ved alle hos os, hvordan man underretter, og hvem der kan hjælpe med det?",
        ],
      },
      {
        slug: "den-faelles-model-og-opfoelgningen",
        title: "Den fælles model og opfølgningen",
        description:
          "En lærer, en sundhedsplejerske, en tandplejer og en PPR-konsulent taler om et fælles sprog for bekymring: fra undren over bekymring til alvorlig bekymring. De viser, hvordan en fælles model gør det tydeligt, hvornår der skal handles, og hvem der gør hvad. Læg mærke til, hvordan de aftaler at følge op – også over for barnet.",
        reflectionQuestions: [
          "Hvilke ord bruger vi i dag om vores bekymringer, og betyder de det samme for alle faggrupper?",
          "Hvordan kunne en fælles model med trin fra undren til alvorlig bekymring se ud hos os?",
          "Hvem har ansvaret for at følge op, når en bekymring er delt, og hvordan får de andre det at vide?",
          "Hvordan sikrer vi, at barnet oplever, at der sker noget, efter at det har turdet fortælle?",
        ],
      },
    ],
  },
];
