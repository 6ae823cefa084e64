/**
 * What Graph refuses in a GDAP relationship, written once for both sides: the provider's `check`
 * (gdapInputs.ts) says it before any call, and the emulator answers it with Graph's 400.
 */
import { builtInRoleName } from "./builtInRoles";

/** Graph's delegatedAdminRelationship: displayName "Maximum length is 50 characters", counted as .NET counts them (UTF-16 code units: an emoji is 2). */
export const relationshipNameMaxLength = 50;

// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const controls = /[\u0000-\u001f\u007f-\u009f]/;
// Characters that reorder or hide text: a name that reads one way in the portal and another in a list.
const bidiControls = /[\u202a-\u202e\u2066-\u2069]/;
const zeroWidth = /[\u200b-\u200d\u2060\ufeff\u180e]/;

/** Why a relationship's displayName is refused (a rule, to follow the field's name), or undefined. */
export function relationshipNameProblem(name: string): string | undefined {
  if (name.trim() === "") return "must not be empty or only whitespace";
  if (name.length > relationshipNameMaxLength)
    return `must be at most ${relationshipNameMaxLength} UTF-16 code units (Graph's limit; an emoji counts as 2), not ${name.length}`;
  if (controls.test(name)) return "must not contain control characters";
  if (bidiControls.test(name)) return "must not contain bidirectional override, embedding or isolate characters (U+202A to U+202E, U+2066 to U+2069)";
  if (zeroWidth.test(name)) return "must not contain zero-width characters (U+200B to U+200D, U+2060, U+FEFF, U+180E)";
  return undefined;
}

/** The nil GUID names no tenant, group or object. */
export const isNilGuid = (id: string): boolean => /^0{8}-0{4}-0{4}-0{4}-0{12}$/.test(id);

/** GDAP takes Entra built-in roles only ("unifiedRoles": role template ids); custom or made-up ids are refused. */
export const isBuiltInRoleTemplate = (id: string): boolean => builtInRoleName(id) !== undefined;
