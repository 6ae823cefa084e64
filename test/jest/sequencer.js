/**
 * Runs the fast tests first: unit, then the provider's clients and the emulator (in-process, seconds
 * each), then the end-to-end files that drive the real Pulumi CLI (minutes each). Jest's own order puts
 * the slowest file it remembers first, so a fresh `npm test` used to sit silent in an e2e file.
 * Within a group Jest's order stands (failed last time first, then slowest first).
 */
const Sequencer = require("@jest/test-sequencer").default;
const path = require("path");

const groups = ["unit", "provider", "emulator", "e2e"];

function rank(test) {
  const parts = path.relative(path.join(test.context.config.rootDir, "test"), test.path).split(path.sep);
  const i = groups.indexOf(parts[0]);
  return i === -1 ? groups.length : i;
}

class FastFirstSequencer extends Sequencer {
  async sort(tests) {
    const ordered = await super.sort(tests);
    return [...ordered].sort((a, b) => rank(a) - rank(b)); // stable: Jest's order inside a group
  }
}

module.exports = FastFirstSequencer;
