import { parse } from "csv-parse/sync";
import { toCsv } from "~/utils/csv.server";

/** The file read back the way a spreadsheet reads Danish CSV: semicolons, a byte-order mark. */
function readBack(csv: string): string[][] {
  expect(csv.startsWith("\uFEFF")).toBe(true);
  return parse(csv, { delimiter: ";", bom: true, relax_column_count: false }) as string[][];
}

describe("CSV exports", () => {
  it("keep a name with a comma and a formula in one inert cell", () => {
    const rows = readBack(toCsv(["Navn", "E-mail"], [["Anne,=cmd|' /C calc'!A0", "anne@demo-kommune.dk"]]));
    expect(rows).toEqual([
      ["Navn", "E-mail"],
      ["Anne,=cmd|' /C calc'!A0", "anne@demo-kommune.dk"],
    ]);
    // Read as comma-separated too, the quoted cell stays whole.
    const asCommas = parse(toCsv(["Navn"], [["Anne,=cmd|' /C calc'!A0"]]), { delimiter: ",", bom: true }) as string[][];
    expect(asCommas[1]).toEqual(["Anne,=cmd|' /C calc'!A0"]);
  });

  it("put an apostrophe before every cell a spreadsheet would run as a formula", () => {
    const starts = [
      "=SUM(A1:A2)",
      "+45 12 34 56 78",
      "-2+3",
      "@SUM(1)",
      "\t=1+1",
      "\r=1+1",
      '=HYPERLINK("http://evil.example","Klik")',
    ];
    // Some spreadsheets read the full-width forms (＝＋－＠) as the ASCII ones.
    const fullWidth = ["\uFF1DSUM(A1:A2)", "\uFF0B1+1", "\uFF0D2+3", "\uFF20SUM(1)"];
    const [, ...rows] = readBack(
      toCsv(
        ["Celle"],
        [...starts, ...fullWidth].map((text) => [text]),
      ),
    );
    expect(rows.map(([cell]) => cell)).toEqual([...starts, ...fullWidth].map((text) => `'${text}`));
    // A negative count is a number, not a formula.
    expect(readBack(toCsv(["Tal"], [[-3]]))[1]).toEqual(["-3"]);
  });

  it("keep semicolons, quotes, line breaks and Danish letters inside their cell, and numbers as numbers", () => {
    const awkward = ['Hansen; "Lis"', "To\r\nlinjer", "Ærø Åberg", ""];
    const csv = toCsv(
      ["a", "b", "c", "d", "tal"],
      [
        [...awkward, 7],
        [null, "x", "y", "z", 0],
      ],
    );
    expect(readBack(csv)).toEqual([
      ["a", "b", "c", "d", "tal"],
      [...awkward, "7"],
      ["", "x", "y", "z", "0"],
    ]);
    // Every cell is quoted, and records end the way Windows writes them.
    expect(csv).toBe(
      '\uFEFF"a";"b";"c";"d";"tal"\r\n"Hansen; ""Lis""";"To\r\nlinjer";"Ærø Åberg";"";"7"\r\n"";"x";"y";"z";"0"\r\n',
    );
  });
});
