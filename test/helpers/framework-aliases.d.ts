// The repo installs Express 4 and Koa 2 under the aliases "express4" and "koa2"
// (package.json devDependencies) so one suite runs against both majors.
// Their public surface used by the tests matches the v5/v3 typings.
declare module "express4" {
  import express from "express";
  export default express;
}
declare module "koa2" {
  import Koa from "koa";
  export default Koa;
}
