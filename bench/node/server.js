// The health-check as the Node.js/Express service this backend replaces would serve it.
const express = require("express");
const app = express();
const started = Date.now();
// The dependency checks bet2wealth reports (bench/http_health.sh passes them): the same body from both.
const checks = JSON.parse(process.env.CHECKS_JSON || "{}");
app.disable("x-powered-by");
app.get("/api/v1/health-check", (req, res) => {
  res.json({ status: "ok", version: "0.1.0", uptime_seconds: Math.floor((Date.now() - started) / 1000), checks });
});
const server = app.listen(Number(process.env.PORT || 4000), "127.0.0.1");
server.keepAliveTimeout = 65000;
process.on("SIGTERM", () => server.close(() => process.exit(0)));
