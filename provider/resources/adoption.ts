/**
 * Who may take over an object that existed before a create. Partner Center has no owner tag for a
 * user or a consent, so an object found at create time may be another stack's (two stacks over the
 * same customers), a person's, or the one an interrupted run of this stack made. Taking it silently
 * would let this stack's `destroy` delete what another still declares, so it takes one of:
 *
 * - `adopt: true` on the resource: this one object, whatever its fields (they are then set to the program's);
 * - `partnercenter:recoverFrom` for the recovery after an interrupted run: exactly the objects that
 *   run's unfinished creates made, as the service's idempotency key proves (recovery.ts);
 * - `partnercenter:adoptMatching` (PARTNERCENTER_ADOPT_MATCHING=true) for one run: every object that
 *   matches the program exactly, each named in a warning. It cannot tell an identical object that
 *   another stack declares, so the recovery does not use it; a create whose outcome stayed unknown does.
 *
 * Everything else fails with an error that says both ways, so that one `pulumi up --continue-on-error`
 * names every object at once.
 *
 * What makes an object found at create time "the same" one the program declares, and what "matches
 * exactly" means, per resource (README "Who owns what" says the same):
 *
 * | resource | the same object (found by) | matches exactly (adoptMatching takes it) |
 * |---|---|---|
 * | CustomerUser | the customer and userPrincipalName | names, usageLocation, immutableId |
 * | ApplicationConsent | the customer and applicationId | the same grants |
 * | DelegatedAdminRelationship | the displayName as Graph compares names (ignoring case: relationshipNames.ts), among relationships not ending or ended | customer, duration, autoExtendDuration and roles; any status but ending or ended |
 * | DelegatedAdminAccessAssignment | the relationship and the security group (one per pair on Graph) | the roles |
 * | CustomerUserRoleAssignment | the customer, role and user | always: a membership has nothing else |
 *
 * So a relationship of another stack that differs from the program only in its displayName is a
 * different relationship and is never taken; one with the program's displayName and fields is taken
 * by adoptMatching whoever made it (the flag's limit, README "Recovering after an interrupted run").
 */
import { isPartnerCenterError } from "../errors";
import { isTransientNetworkError, wasNeverSent } from "../http/networkErrors";
import { context, warn } from "./runtime";

export const recoveryReadme = 'README "Recovering after an interrupted run"';

/** True when this run may take over objects that exactly match the program. */
export function adoptMatching(): boolean {
  return context().config.adoptMatching;
}

/** Says, in the engine's diagnostics, that an existing object was taken over and why. */
export function reportAdoption(what: string, reason: "adopt" | "adoptMatching" | "restored", detail?: string): void {
  const why =
    reason === "adopt"
      ? "adopt: true"
      : reason === "adoptMatching"
        ? "it matches the program exactly and partnercenter:adoptMatching is set"
        : "it was soft-deleted and holds this userPrincipalName";
  // A provider does not see the resource's options, so it cannot know whether retainOnDelete is set: say both cases.
  warn(
    `took over ${what} (${why})${detail ? `; ${detail}` : ""}; this stack now manages it: its destroy deletes it, unless the resource has retainOnDelete: true (then destroy leaves it and only drops it from this stack's state)`,
  );
}

/** The end of every "already exists" error: the two explicit ways to take the object over. */
export function adoptionHint(
  resourceKind: "CustomerUser" | "ApplicationConsent" | "DelegatedAdminRelationship" | "DelegatedAdminAccessAssignment" | "CustomerUserRoleAssignment",
  extra = "",
): string {
  return (
    `It existed before this create: another stack, a person or an interrupted run of this stack made it, and it is not taken over silently. ` +
    `To manage it from this stack, set adopt: true on this ${resourceKind}${extra}. ` +
    `If an interrupted run of this stack made it, recover as ${recoveryReadme} says: that takes back exactly what the interrupted run made. ` +
    `If an earlier create of this stack ended with "may or may not have been created", run \`pulumi up\` once with PARTNERCENTER_ADOPT_MATCHING=true: that takes every object that matches the program exactly, whoever made it.`
  );
}

/**
 * Advice when a create's outcome is unknown (the service may have applied it): what the next run
 * needs. Appended to the error itself, which already says what failed, where and why.
 */
export function unknownOutcomeHint(what: string): string {
  return (
    `${what[0].toUpperCase()}${what.slice(1)} may or may not have been created. Run \`pulumi up\` again: this stack's create journal lets it take back exactly what this create made. ` +
    `On another machine (which does not see the journal), if it then reports that ${what} already exists, that is the one this run made: run \`pulumi up\` once with PARTNERCENTER_ADOPT_MATCHING=true to take it over (${recoveryReadme}).`
  );
}

/** A failure after which the service may or may not have applied the request. */
export function outcomeUnknown(err: unknown): boolean {
  // A 429 was refused, not applied, and so was a call whose every connection was refused; 5xx and
  // lost connections leave it open.
  if (isPartnerCenterError(err)) return err.retryable && err.statusCode !== 429;
  return isTransientNetworkError(err) && !wasNeverSent(err);
}
