/// <reference types="@remix-run/dev" />
/// <reference types="@remix-run/node" />

declare module "@remix-run/server-runtime" {
  interface Future {
    v3_singleFetch: true;
  }
  /** What the platform's own HTTP server hands every loader and action (app/server/). */
  interface AppLoadContext {
    /** This response's nonce for the Content-Security-Policy, given to Remix's inline scripts. */
    cspNonce: string;
    /** The address of the client the request came from (the socket's peer, or the trusted proxy's X-Forwarded-For). */
    clientAddress: string;
    /** The id the request is logged under (X-Request-Id); absent when a test calls a loader directly. */
    requestId?: string;
  }
}

export {};
