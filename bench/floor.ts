/**
 * The engine floor: our resources through a provider that calls no service. The bench program swaps
 * it in (BENCH_FLOOR_PROVIDER, bench/program/index.ts) so that `pulumi up` and `pulumi preview
 * --refresh` run the same program, the same SDK path, the same dynamic-provider host and the same
 * state, resource for resource, and the wall clock left is what Pulumi itself needs for that many
 * resources on this machine. Whatever a target asks below that figure, no client can reach through
 * the engine; our share is the difference to the real run.
 *
 * `configure`, `check` and `diff` are the real ones (they call no service: the same inputs, the same
 * request id, the same answer to "what changed"). `create` answers with the outputs the real
 * provider would store; `read` finds nothing changed, as the real one does on an untouched stack.
 */
import { randomUUID } from "crypto";
import { consent as realConsent, user as realUser } from "../provider/resources";
import { withoutCreateRequestId } from "../provider/resources/recovery";
import { record } from "./floorLog";

type Props = Record<string, unknown>;

/** What the real provider stores of its inputs: all but the request id (the host adds `__provider` back). */
const storedInputs = (inputs: Props): Props => {
  const { __provider: _, ...rest } = withoutCreateRequestId(inputs);
  return rest;
};

function floorOf(real: typeof realConsent | typeof realUser, created: (inputs: Props) => { id: string; outs: Props }) {
  return {
    configure: real.configure,
    check: real.check,
    diff: real.diff,
    async create(inputs: Props) {
      record("create");
      return created(inputs);
    },
    async read(id: string, props: Props) {
      record("read");
      return { id, props };
    },
    async update(_id: string, _olds: Props, news: Props) {
      return { outs: storedInputs(news) };
    },
    async delete() {},
  };
}

/** A consent's id is customerId/applicationId, and its outputs are its inputs (applicationConsent.ts). */
export const consent = floorOf(realConsent, (inputs) => ({ id: `${inputs.customerId}/${inputs.applicationId}`, outs: storedInputs(inputs) }));

/** A user's id is the directory's object id, and the service adds what it computes (customerUser.ts). */
export const user = floorOf(realUser, (inputs) => {
  const id = randomUUID();
  return { id, outs: { ...storedInputs(inputs), lastDirectorySyncTime: null, state: "active", userDomainType: "none", userId: id } };
});
