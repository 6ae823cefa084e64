import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as path from "path";

// A file on disk stands in for a service object, so create/read/delete have something real to do.
interface NoteInputs {
  dir: string;
  name: string;
  text: string;
}

const noteProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: NoteInputs) {
    const file = require("path").join(inputs.dir, `${inputs.name}.txt`);
    require("fs").writeFileSync(file, inputs.text);
    return { id: file, outs: { ...inputs, bytes: inputs.text.length } };
  },
  async read(id: string, props: any) {
    const fs = require("fs");
    if (!fs.existsSync(id)) return { id: "", props: {} };
    const text = fs.readFileSync(id, "utf8");
    return { id, props: { ...props, text, bytes: text.length } };
  },
  async delete(id: string) {
    require("fs").rmSync(id, { force: true });
  },
};

class Note extends pulumi.dynamic.Resource {
  declare public readonly bytes: pulumi.Output<number>;
  constructor(name: string, args: { dir: string; name: string; text: string }) {
    super(noteProvider, name, { ...args, bytes: undefined }, {});
  }
}

const config = new pulumi.Config();
const note = new Note("greeting", { dir: config.require("dir"), name: "greeting", text: config.require("text") });

export const noteId = note.id;
export const noteBytes = note.bytes;
void fs;
void path;
