/**
 * The fenced code blocks of a Markdown file, as the README tests run them: extracted at test time, so
 * the tests and the documents cannot drift apart. The info string says how a block is used:
 * ```bash run``` is a command to run, ```ts file=index.ts``` a file to write (the first word is the
 * language, so GitHub still highlights it).
 */
import * as fs from "fs";

export interface CodeBlock {
  lang: string;
  /** `run`, `file=<name>`. */
  run: boolean;
  file?: string;
  text: string;
  /** 1-based line of the opening fence, for messages. */
  line: number;
}

export function codeBlocks(markdownFile: string): CodeBlock[] {
  const lines = fs.readFileSync(markdownFile, "utf8").split("\n");
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S+)(.*)$/.exec(lines[i]);
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]); i++) body.push(lines[i]);
    const words = open[2].trim().split(/\s+/).filter(Boolean);
    blocks.push({
      lang: open[1],
      run: words.includes("run"),
      file: words.find((w) => w.startsWith("file="))?.slice("file=".length),
      text: body.join("\n") + "\n",
      line: start + 1,
    });
  }
  return blocks;
}

/** Where a block starts, for messages: `README.md:42 (bash)`. */
export const where = (file: string, b: CodeBlock) => `${file}:${b.line} (${b.lang})`;
