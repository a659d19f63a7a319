// The reference for bench/stream.sh: a Node.js `ws` server doing the same fan-out as GET /api/v1/stream,
// the way a Node service would: clients subscribe to events; every PUBLISH_INTERVAL_MS one event's odds change
// is serialized once (a Buffer) and sent to that event's subscribers. No database or message bus behind it:
// only the fan-out is compared.
const { WebSocketServer } = require("ws");
const events = require("fs").readFileSync(process.env.EVENTS_FILE, "utf8").split("\n").filter(Boolean);
const interval = Number(process.env.PUBLISH_INTERVAL_MS || 10);
const subscribers = new Map(); // event id -> Set of sockets
const seq = new Map();
const wss = new WebSocketServer({ host: "127.0.0.1", port: Number(process.env.PORT || 4000), path: "/api/v1/stream", maxPayload: 4096 });
wss.on("connection", (ws) => {
  const mine = new Set();
  ws.on("message", (data) => {
    let m;
    try { m = JSON.parse(data); } catch { return ws.send('{"type":"error","code":"invalid_message"}'); }
    if (m.op === "subscribe" && Array.isArray(m.events)) {
      for (const e of m.events) {
        if (!subscribers.has(e)) subscribers.set(e, new Set());
        subscribers.get(e).add(ws);
        mine.add(e);
      }
      ws.send(JSON.stringify({ type: "subscribed", events: m.events, subscriptions: mine.size }));
    }
  });
  ws.on("close", () => { for (const e of mine) subscribers.get(e)?.delete(ws); });
});
const epochMicros = () => Math.round((performance.timeOrigin + performance.now()) * 1000);
let next = 0, version = 1;
// bench/stream.sh sends SIGUSR2 once every client is connected (as it starts bet2wealth's publisher then).
process.on("SIGUSR2", () => setInterval(() => {
  const event = events[next++ % events.length];
  const n = (seq.get(event) || 0) + 1;
  seq.set(event, n);
  version++;
  const market = { id: "mkt_" + event, event_id: event, name: "1X2", status: "open", version,
    selections: ["Home", "Draw", "Away"].map((name, i) => ({ id: `sel_${event}_${i}`, name, odds: (1.5 + (version % 50) / 100).toFixed(2) })) };
  const frame = Buffer.from(JSON.stringify({ type: "odds", event_id: event, market_id: market.id, version, market, seq: n, published_at_us: epochMicros() }));
  for (const ws of subscribers.get(event) || []) ws.send(frame, { binary: false });
}, interval));
process.on("SIGTERM", () => process.exit(0));
