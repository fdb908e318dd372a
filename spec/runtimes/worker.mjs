// The smoke suite as a Cloudflare Worker: GET /__suite runs the core tests inside workerd and
// answers with their summary; every other request is served by `flowApp`, withFlow's handler.
import { runTests } from "./harness.mjs";
import { coreTests, flowApp, runtimeFeatures } from "./suite.mjs";

export default {
  async fetch(request, env, context) {
    if (new URL(request.url).pathname === "/__suite") {
      const summary = await runTests("workerd", env.WORKERD_VERSION, coreTests);
      return Response.json({ ...summary, features: await runtimeFeatures() });
    }
    return flowApp(request, env, context);
  },
};
