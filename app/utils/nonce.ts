import { createContext, useContext } from "react";

/**
 * This response's Content-Security-Policy nonce, which Remix's inline scripts must carry. Given
 * by the server in entry.server.tsx; in the browser it is empty, where nothing needs it.
 */
const NonceContext = createContext("");

export const NonceProvider = NonceContext.Provider;

export const useNonce = () => useContext(NonceContext);
