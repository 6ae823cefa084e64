/**
 * A line per test as it ends, and one when a file starts, printed at once: Jest's default reporter
 * prints a file's results only when the whole file is done, which for an end-to-end file is minutes of
 * silence. Failures keep Jest's own full report, which follows at the end of each file. Files run two
 * at a time (package.json), so each line names its file.
 */
const path = require("path");

class ProgressReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onTestFileStart(test) {
    process.stderr.write(`▶ ${path.relative(this.rootDir, test.path)}\n`);
  }

  onTestCaseResult(test, result) {
    const mark = result.status === "passed" ? "✓" : result.status === "failed" ? "✕" : "○";
    const seconds = result.duration == null ? "" : ` (${(result.duration / 1000).toFixed(1)} s)`;
    process.stderr.write(`  ${mark} ${path.basename(test.path)}: ${result.fullName}${seconds}\n`);
  }
}

module.exports = ProgressReporter;
