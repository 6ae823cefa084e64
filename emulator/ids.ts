import { randomUUID } from "crypto";

export const newGuid = (): string => randomUUID();
