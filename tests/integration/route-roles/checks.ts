/** Who walks every route, and the statuses a check expects of each of them. */
export const personas = {
  anonymous: null,
  learner: "medarbejder@demo-kommune.dk",
  leader: "leder@demo-kommune.dk",
  admin: "admin@demo-kommune.dk",
  otherAdmin: "admin@nabo-kommune.dk",
  owner: "ejer@rettidig.dk",
} as const;
export type Persona = keyof typeof personas;
export type Expected = Record<Persona, number>;

export const all = (status: number): Expected => ({
  anonymous: status,
  learner: status,
  leader: status,
  admin: status,
  otherAdmin: status,
  owner: status,
});
export const signedIn = (status: number, anonymous = 302): Expected => ({ ...all(status), anonymous });
export const adminsOnly: Expected = {
  anonymous: 302,
  learner: 403,
  leader: 403,
  admin: 200,
  otherAdmin: 200,
  owner: 403,
};
export const ownMunicipalityOnly: Expected = {
  anonymous: 302,
  learner: 403,
  leader: 403,
  admin: 200,
  otherAdmin: 404,
  owner: 403,
};
export const ownerOnly: Expected = {
  anonymous: 302,
  learner: 404,
  leader: 404,
  admin: 404,
  otherAdmin: 404,
  owner: 200,
};
export const invoiceFiles: Expected = {
  anonymous: 302,
  learner: 404,
  leader: 404,
  admin: 200,
  otherAdmin: 404,
  owner: 200,
};
export const course: Expected = { anonymous: 302, learner: 200, leader: 200, admin: 200, otherAdmin: 403, owner: 200 };

export type Fixture = { orderId: number; invoiceId: number; licenceId: number };
export type Check = {
  /** The route module under app/routes this checks: `healthz.ts`, or a folder route's `administration._index/route.tsx`. */
  route: string;
  method: "loader" | "action";
  url: (f: Fixture) => string;
  params?: (f: Fixture) => Record<string, string>;
  form?: (f: Fixture) => Record<string, string>;
  /** A multipart body instead of a plain form, for routes that take a file. */
  multipart?: (f: Fixture) => FormData;
  expected: Expected;
  /** Signing out ends the session, so it gets sessions of its own. */
  endsSession?: boolean;
};

export const COURSE = "unges-egne-fortaellinger";
export const MODULE = "sofie-ingen-spurgte-til-mig";
