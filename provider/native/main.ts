#!/usr/bin/env node
/**
 * `pulumi-resource-partnercenter`: the plugin the engine starts for `partnercenter:*` resources
 * (scripts/install-plugin.sh puts a wrapper of that name into PULUMI_HOME). Per the plugin protocol it
 * prints the port it serves on as its first line of stdout, and its first argument is the engine's
 * address: it ends when the engine is gone (lifeline.ts).
 */
import { watchEngineAt } from "../lifeline";
import { serve } from "./server";

// The engine starts every provider plugin with the stack's decrypted `partnercenter:*` config in
// PULUMI_CONFIG, also the plugin of an explicit provider that is configured otherwise. The plugin is
// configured by Configure only, so that copy is dropped before anything could read or pass it on.
delete process.env.PULUMI_CONFIG;

serve().then(
  (port) => {
    process.stdout.write(`${port}\n`);
    const engine = process.argv[2];
    if (engine && /^[\w.\-[\]:]+:\d+$/.test(engine)) watchEngineAt(engine);
  },
  (err: Error) => {
    process.stderr.write(`pulumi-resource-partnercenter: could not start: ${err.message}\n`);
    process.exit(1);
  },
);
