// Worker-thread entry: tsx's loader registered by `node --import tsx` does not reach worker threads on Node 20,
// so each fuzz worker registers tsx's CommonJS hook itself and then loads the TypeScript worker module.
const { workerData } = require("node:worker_threads");
require("tsx/cjs/api").register();
require(workerData.workerFile);
