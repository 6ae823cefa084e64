import { randomUUID } from "crypto";
import { z } from "zod";

export const newGuid = (): string => randomUUID();

/** A GUID as the services write and accept it (any case): the emulator's one pattern, apart from the client's on purpose. */
export const guidSchema = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "must be a GUID");
