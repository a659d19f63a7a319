-- wrk script: sends each prepared, signed Fundist callback once (BENCH_CALLBACKS: one JSON body per line),
-- then idles on the health-check; counts the callbacks answered "status":"OK". Use with -t1.
local threads = {}
function setup(thread) table.insert(threads, thread) end

local lines, next_line = {}, 1
answered_ok = 0  -- global: read back from each thread in done()
for line in io.lines(os.getenv("BENCH_CALLBACKS")) do lines[#lines + 1] = line end

request = function()
  local body = lines[next_line]
  if body == nil then return wrk.format("GET", "/api/v1/health-check") end
  next_line = next_line + 1
  return wrk.format("POST", "/api/v1/casino/fundist/callback", {["Content-Type"] = "application/json"}, body)
end

response = function(status, headers, body)
  if status == 200 and body:find('"status":"OK"', 1, true) then answered_ok = answered_ok + 1 end
end

done = function(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("answered_ok") end
  io.write(string.format("CALLBACKS_OK %d\n", total))
end
