/**
 * The gRPC runtime and the generated ResourceProvider stubs, loaded from @pulumi/pulumi's own copy:
 * the stubs' messages and the Struct values this plugin builds must come from the same
 * google-protobuf, and neither is a dependency of this package but of @pulumi/pulumi.
 */
import { createRequire } from "module";

const fromPulumi = createRequire(require.resolve("@pulumi/pulumi/package.json"));

export const grpc: typeof import("@grpc/grpc-js") = fromPulumi("@grpc/grpc-js");
export const structproto: typeof import("google-protobuf/google/protobuf/struct_pb") = fromPulumi("google-protobuf/google/protobuf/struct_pb");
export const emptyproto: typeof import("google-protobuf/google/protobuf/empty_pb") = fromPulumi("google-protobuf/google/protobuf/empty_pb");
export const provproto: typeof import("@pulumi/pulumi/proto/provider_pb") = fromPulumi("./proto/provider_pb");
export const plugproto: typeof import("@pulumi/pulumi/proto/plugin_pb") = fromPulumi("./proto/plugin_pb");
export const provrpc: typeof import("@pulumi/pulumi/proto/provider_grpc_pb") = fromPulumi("./proto/provider_grpc_pb");
