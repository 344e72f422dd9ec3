import { ownerOnly, type Check } from "./checks";

// The actions are sent forms that fail validation, so the owner's answer (400) changes nothing the other checks rely on.
const refusedForOwner = { ...ownerOnly, owner: 400 };

export const studioChecks: Check[] = [
  { route: "ejer.studie._index.tsx", method: "loader", url: () => "/ejer/studie", expected: ownerOnly },
  {
    route: "ejer.studie._index.tsx",
    method: "action",
    url: () => "/ejer/studie",
    form: () => ({ intent: "createCourse", title: "", summary: "" }),
    expected: refusedForOwner,
  },
  {
    route: "ejer.studie.kurser.$courseId._index/route.tsx",
    method: "loader",
    url: () => "/ejer/studie/kurser/1",
    params: () => ({ courseId: "1" }),
    expected: ownerOnly,
  },
  {
    route: "ejer.studie.kurser.$courseId._index/route.tsx",
    method: "action",
    url: () => "/ejer/studie/kurser/1",
    params: () => ({ courseId: "1" }),
    form: () => ({ intent: "createModule", title: "", description: "" }),
    expected: refusedForOwner,
  },
  {
    route: "ejer.studie.moduler.$moduleId._index/route.tsx",
    method: "loader",
    url: () => "/ejer/studie/moduler/1",
    params: () => ({ moduleId: "1" }),
    expected: ownerOnly,
  },
  {
    route: "ejer.studie.moduler.$moduleId._index/route.tsx",
    method: "action",
    url: () => "/ejer/studie/moduler/1",
    params: () => ({ moduleId: "1" }),
    form: () => ({ intent: "updateModule", title: "", description: "" }),
    expected: refusedForOwner,
  },
];
