// The house style as it was written before a formatter checked it: double quotes, semicolons,
// trailing commas, and lines up to 120 characters (most code wraps near 110, queries run longer).
export default {
  printWidth: 120,
};
