import type { PipelinePolicy } from "./types";

/** Adds the bearer token. MSAL's cache makes this cheap: one token request per (tenant, scope) a run. */
export const authPolicy: PipelinePolicy = {
  name: "auth",
  async sendRequest(request, next) {
    if (!request.getAccessToken) return next(request);
    const token = await request.getAccessToken();
    return next({ ...request, headers: { ...request.headers, Authorization: `Bearer ${token}` } });
  },
};
