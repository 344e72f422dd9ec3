import { danishDate, shiftDays } from "~/i18n/dates";
import { courseIdOf } from "../../utils/feedback";
import { unitIdByName } from "../../utils/training";
import { adminsOnly, COURSE, ownMunicipalityOnly, type Check } from "./checks";

const leadersOnly = { anonymous: 302, learner: 403, leader: 200, admin: 403, otherAdmin: 403, owner: 403 };

/** Demo Kommune's course made mandatory for Skovbrynets Børnehus a month from now. */
const assignmentForm = (fields: Record<string, string> = {}) => ({
  intent: "create",
  organisationId: "1",
  courseId: String(courseIdOf(COURSE)),
  scope: "unit",
  unitId: String(unitIdByName("Skovbrynets Børnehus")),
  dueMode: "date",
  dueOn: shiftDays(danishDate(), 30),
  ...fields,
});

export const trainingCoreChecks: Check[] = [
  {
    route: "administration.obligatorisk._index/route.tsx",
    method: "loader",
    url: () => "/administration/obligatorisk",
    expected: adminsOnly,
  },
  {
    route: "administration.obligatorisk._index/route.tsx",
    method: "loader",
    url: () => "/administration/obligatorisk?organisation=1",
    expected: ownMunicipalityOnly,
  },
  {
    route: "administration.obligatorisk._index/route.tsx",
    method: "action",
    url: () => "/administration/obligatorisk",
    form: () => assignmentForm(),
    expected: ownMunicipalityOnly,
  },
  {
    // An assignment that is not there (or another municipality's) is answered 404 above the list.
    route: "administration.obligatorisk._index/route.tsx",
    method: "action",
    url: () => "/administration/obligatorisk",
    form: () => ({ intent: "remove", organisationId: "1", assignmentId: "999999" }),
    expected: { ...ownMunicipalityOnly, admin: 404 },
  },
  { route: "leder_.obligatorisk/route.tsx", method: "loader", url: () => "/leder/obligatorisk", expected: leadersOnly },
  {
    route: "leder_.obligatorisk/route.tsx",
    method: "action",
    url: () => "/leder/obligatorisk",
    form: () => assignmentForm(),
    expected: leadersOnly,
  },
  {
    // Only the leader gets as far as the rule: everyone in the municipality is outside their unit.
    route: "leder_.obligatorisk/route.tsx",
    method: "action",
    url: () => "/leder/obligatorisk",
    form: () => assignmentForm({ scope: "everyone" }),
    expected: { ...leadersOnly, leader: 403 },
  },
];
