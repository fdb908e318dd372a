// `npm run build:demo`: the quick build examples/demo.mjs runs on (see `demo` in tsup.config.ts).
export { demo as default } from "./tsup.config";
