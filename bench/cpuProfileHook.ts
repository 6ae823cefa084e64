/**
 * Loaded with `NODE_OPTIONS=--require …/cpuProfileHook.js` (Node 20 refuses `--cpu-prof` there):
 * a V8 CPU profile of this process, written to $CPU_PROFILE_DIR/<role>-<pid>.cpuprofile when it ends
 * (role: program, provider, or node for the language host's helpers).
 * Used by bench/profileRefresh.ts for the program and the dynamic provider.
 */
import * as fs from "fs";
import * as inspector from "inspector";
import * as path from "path";

const dir = process.env.CPU_PROFILE_DIR;
/** Which of the CLI's Node.js processes this is, for the file's name. */
const role = process.argv.some((a) => a.includes("dynamic-provider")) ? "provider" : process.argv.some((a) => /cmd[/\\]run/.test(a)) ? "program" : "node";

if (dir) {
  const session = new inspector.Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.setSamplingInterval", { interval: 1000 });
  session.post("Profiler.start");
  let written = false;
  const write = () => {
    if (written) return;
    written = true;
    // The main thread's session answers synchronously, so this works in an exit handler.
    session.post("Profiler.stop", (err, res) => {
      if (!err) fs.writeFileSync(path.join(dir, `${role}-${process.pid}.cpuprofile`), JSON.stringify(res.profile));
    });
  };
  process.on("exit", write);
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      write();
      process.exit(0);
    });
  }
}
