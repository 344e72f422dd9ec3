// Characters outside WinAnsi whose base letter does not come out of Unicode decomposition.
const LOOKALIKES: Record<string, string> = { ł: "l", Ł: "L", đ: "d", Đ: "D", ı: "i", "−": "-" };
const WIN_ANSI_HIGH = new Set("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ");

function isWinAnsi(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_HIGH.has(char);
}

/**
 * pdfkit's built-in fonts only know WinAnsi. Other letters are written as their nearest WinAnsi
 * look-alike (ł → l, ş → s), and anything without one as "?", rather than as garbage glyphs.
 */
export function toWinAnsi(text: string): string {
  return Array.from(text.normalize("NFC"), (char) => {
    if (char === "\n" || isWinAnsi(char)) return char;
    if (/\s/u.test(char)) return " ";
    const approximation = LOOKALIKES[char] ?? char.normalize("NFD").replace(/\p{M}/gu, "");
    return approximation !== "" && Array.from(approximation).every(isWinAnsi) ? approximation : "?";
  }).join("");
}
