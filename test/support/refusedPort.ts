import * as net from "net";

/**
 * A local port that refuses connections, for the tests of a service that is down. Not a port freed
 * by closing a listener: while CI's two passes run side by side, any process on the machine that
 * listens on port 0 (an engine, a plugin, an emulator) may be given that port next, and the service
 * that should be down answers. Port 1 is privileged and assigned to nothing in use, so nothing a test
 * starts takes it; checked before it is handed out, so that a machine where it answers fails here, clearly.
 */
export async function refusedPort(host = "127.0.0.1"): Promise<number> {
  const port = 1;
  const outcome = await new Promise<string>((resolve) => {
    const socket = net.connect(port, host);
    socket.once("connect", () => (socket.destroy(), resolve("connected")));
    socket.once("error", (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
  if (outcome !== "ECONNREFUSED") throw new Error(`${host}:${port} should refuse connections for this test, but: ${outcome}`);
  return port;
}
