import { drillPersonEmail } from "../utils/restore-drill";

/**
 * The browser restore drill's writer: the municipality's directory (Entra ID's part) creating one
 * person after another through the live platform's SCIM API, and printing each number only once
 * the platform answered 201, which it does after the person's transaction committed: every number
 * printed is an acknowledged write. Stops cleanly on SIGTERM; any other answer stops it with 1.
 */
const directory = process.env.DRILL_SCIM_URL;
const token = process.env.DRILL_SCIM_TOKEN;
if (!directory || !token) throw new Error("DRILL_SCIM_URL and DRILL_SCIM_TOKEN are needed");

let stopping = false;
process.on("SIGTERM", () => {
  stopping = true;
});

for (let number = 1; !stopping; number++) {
  const email = drillPersonEmail(number);
  const response = await fetch(`${directory}/Users`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/scim+json" },
    body: JSON.stringify({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: email,
      active: true,
      emails: [{ primary: true, type: "work", value: email }],
      name: { givenName: "Øvelse", familyName: String(number) },
    }),
  });
  const answer = await response.text();
  if (response.status !== 201) {
    console.error(`The platform answered write ${number} with ${response.status}: ${answer.slice(0, 300)}`);
    process.exit(1);
  }
  process.stdout.write(`${number}\n`);
}
