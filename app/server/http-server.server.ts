import http from "node:http";
import type { Socket } from "node:net";

/** At most this long is the rest of an unread request body taken in and dropped before a connection ends. */
const LINGER_MS = 5000;

/**
 * Ends a connection the way nginx's and Apache's lingering close do. Node destroys the socket as
 * soon as the last answer is handed over (after a 413, or when the client asked for
 * `Connection: close`); if the client is still sending a body the server did not read, the kernel
 * then resets the connection and throws away the part of the answer not yet sent, and the client
 * sees a broken connection instead of the answer. Here the server only half-closes, keeps taking
 * in and dropping what still arrives, and lets go when the client closes or after a bound.
 */
function lingerBeforeClosing(socket: Socket) {
  socket.destroySoon = () => {
    socket.end();
    socket.resume();
    const deadline = setTimeout(() => socket.destroy(), LINGER_MS);
    deadline.unref();
    socket.once("close", () => clearTimeout(deadline));
  };
}

/** The platform's HTTP server around a request handler (the Express app). */
export function createHttpServer(handler: http.RequestListener) {
  const server = http.createServer(handler);
  server.on("connection", lingerBeforeClosing);
  return server;
}
