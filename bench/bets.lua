-- wrk script: places single bets (BENCH_SELECTION at BENCH_ODDS, stake BENCH_STAKE; or in turn on each of the
-- comma-separated BENCH_SELECTIONS, all at BENCH_ODDS) for the users whose
-- access tokens are in BENCH_TOKENS (one per line), each request with its own Idempotency-Key;
-- counts the 201s. With BENCH_LIMIT, stops placing once that many were placed (requests in flight may
-- add a few more; then it only reads the health-check). Use with -t1.
local threads = {}
function setup(thread) table.insert(threads, thread) end

local tokens = {}
for line in io.lines(os.getenv("BENCH_TOKENS")) do tokens[#tokens + 1] = line end
local bodies = {}
for selection in string.gmatch(os.getenv("BENCH_SELECTIONS") or os.getenv("BENCH_SELECTION"), "[^,]+") do
  bodies[#bodies + 1] = string.format('{"stake":%s,"legs":[{"selection_id":"%s","odds":"%s"}]}',
                                      os.getenv("BENCH_STAKE"), selection, os.getenv("BENCH_ODDS"))
end
local run = os.getenv("BENCH_RUN") or "run"
local limit = tonumber(os.getenv("BENCH_LIMIT") or "0")
local n = 0
placed = 0  -- global: read back in done()
refused = 0

request = function()
  if limit > 0 and placed >= limit then return wrk.format("GET", "/api/v1/health-check") end
  n = n + 1
  return wrk.format("POST", "/api/v1/bets", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. tokens[(n % #tokens) + 1],
    ["Idempotency-Key"] = run .. "-" .. n,
  }, bodies[(n % #bodies) + 1])
end

response = function(status, headers, body)
  if status == 201 then placed = placed + 1 elseif status ~= 200 then refused = refused + 1 end
end

done = function(summary, latency, requests)
  local ok, bad = 0, 0
  for _, t in ipairs(threads) do
    ok = ok + t:get("placed")
    bad = bad + t:get("refused")
  end
  io.write(string.format("BETS_OK %d\nBETS_REFUSED %d\n", ok, bad))
end
