// pino's browser build (pino's package.json "browser" field) has the Node build's API and types.
declare module "pino/browser.js" {
  import pino from "pino";
  export default pino;
}
