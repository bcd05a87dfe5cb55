import { APP_VARIANTS } from "../helpers/http-apps.js";
import { describeHttpContract } from "./http-contract.js";

// One contract, every host: Express 5, Express 4, Koa 3, Koa 2, each with and without its body parser.
for (const variant of APP_VARIANTS) describeHttpContract(variant);
