import * as pulumi from "@pulumi/pulumi";
import type { ServiceContext } from "../provider/context";

/**
 * Data sources run in the program, so they read the same `partnercenter:` stack config (and the same
 * environment fallbacks) here. runtime.getConfig reads secrets without the plain-text warning; the
 * values stay in this process and are registered for redaction.
 */
export function programContext(): ServiceContext {
  const { loadConfig } = require("../provider/config") as typeof import("../provider/config");
  const { serviceContext } = require("../provider/context") as typeof import("../provider/context");
  const { setLogSink } = require("../provider/log") as typeof import("../provider/log");
  // In a program, diagnostics go through Pulumi's own log (shown with `pulumi up --debug`).
  setLogSink((message) => void pulumi.log.debug(message));
  return serviceContext(loadConfig((key) => pulumi.runtime.getConfig(`partnercenter:${key}`)));
}
