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
  return serviceContext(loadConfig((key) => pulumi.runtime.getConfig(`partnercenter:${key}`)));
}
