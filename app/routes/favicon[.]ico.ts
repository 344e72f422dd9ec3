/** Rettidig's mark, a white R on the brand's dark teal; browsers ask for this address whatever a page links. */
const BRAND_ICON_SVG =
  "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'><rect width='32' height='32' rx='6' fill='#0b5560'/><path d='M9 23V9h7a5 5 0 0 1 0 10h-7m7 0 5 4' stroke='white' stroke-width='3' fill='none'/></svg>";

export async function loader() {
  return new Response(BRAND_ICON_SVG, {
    headers: { "Content-Type": "image/svg+xml", "Cache-Control": "public, max-age=86400" },
  });
}
