/**
 * Ends the dynamic-provider process (and the plugin, provider/native) when the engine that started it is gone.
 *
 * Pulumi's Node.js dynamic-provider host is a gRPC server that the engine calls; it never learns that
 * the engine died. After a `kill -9` of the CLI it lived on, finishing its in-flight creates behind
 * the user's back, and spun at ~50% CPU for ever: every write to the dead stderr raised EPIPE, and
 * the host's uncaughtException handler logged that to stderr again. So:
 *
 * - an error on stdout or stderr (EPIPE: nobody reads them any more) ends the process;
 * - the engine's address (the host's first argument) is probed every few seconds: once nothing
 *   listens there, the process ends.
 *
 * Anything the process had in flight is then unknown to the state; README "Recovering after an
 * interrupted run" is what brings state and service back together.
 */
import * as net from "net";

const probeEveryInMs = 2000;
let started = false;

/** The engine's host:port when this process is Pulumi's dynamic-provider host, else undefined. */
export function engineAddress(argv: string[] = process.argv): string | undefined {
  const script = argv[1] ?? "";
  if (!/dynamic-provider/.test(script)) return undefined;
  const address = argv.slice(2).find((a) => /^[\w.\-[\]:]+:\d+$/.test(a));
  return address;
}

/** Resolves true when something accepts a TCP connection at host:port, false when it is refused. */
export function listening(address: string, timeoutInMs = 5000): Promise<boolean> {
  const i = address.lastIndexOf(":");
  const host = address.slice(0, i).replace(/^\[|\]$/g, "");
  const port = Number(address.slice(i + 1));
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (alive: boolean) => {
      socket.destroy();
      resolve(alive);
    };
    socket.setTimeout(timeoutInMs, () => done(true)); // slow is not gone: only a refusal counts
    socket.once("connect", () => done(true));
    socket.once("error", (err: NodeJS.ErrnoException) => done(err.code !== "ECONNREFUSED"));
  });
}

/** Installs the watch once per process; a no-op outside the dynamic-provider host (tests, programs). */
export function watchEngine(argv: string[] = process.argv, exit: (code: number) => void = (c) => process.exit(c)): void {
  const address = engineAddress(argv);
  if (address) watchEngineAt(address, exit);
}

/** The same watch on a known engine address: the plugin (provider/native) is told it as its first argument. */
export function watchEngineAt(address: string, exit: (code: number) => void = (c) => process.exit(c)): void {
  if (started) return;
  started = true;
  for (const stream of [process.stdout, process.stderr]) stream.on("error", () => exit(1));
  const timer = setInterval(() => {
    listening(address).then((alive) => {
      if (!alive) exit(1);
    });
  }, probeEveryInMs);
  timer.unref();
}
