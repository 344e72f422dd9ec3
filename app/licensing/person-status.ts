/** How far a person has come on their municipality's courses; shared by the server and the filter in the browser. */
export const personStatuses = ["notStarted", "started", "completed"] as const;
export type PersonStatus = (typeof personStatuses)[number];
