/**
 * What a route module tells the HTTP server (app/server/) through Remix's `handle` export, before
 * its action runs. Plain data: `handle` is also sent to the browser.
 */
export type RouteHandle = {
  /**
   * The kind of body the route's action takes, which sets how many bytes the server reads before
   * answering 413. Routes that say nothing take ordinary forms.
   */
  requestBody?: RequestBodyKind;
};

export type RequestBodyKind = "form" | "csvFile" | "filmPiece" | "subtitles" | "film";
