-- wrk script: sends each prepared, signed charge.success once (BENCH_WEBHOOKS: "<signature> <body>" lines),
-- then idles on the health-check; counts the webhooks answered 200. Use with -t1.
local threads = {}
function setup(thread) table.insert(threads, thread) end

local lines, next_line = {}, 1
credited = 0  -- global: read back from each thread in done()
for line in io.lines(os.getenv("BENCH_WEBHOOKS")) do lines[#lines + 1] = line end

request = function()
  local line = lines[next_line]
  if line == nil then return wrk.format("GET", "/api/v1/health-check") end
  next_line = next_line + 1
  local sig, body = line:match("^(%x+) (.*)$")
  return wrk.format("POST", "/api/v1/payments/paystack/webhook",
                    {["Content-Type"] = "application/json", ["x-paystack-signature"] = sig}, body)
end

response = function(status, headers, body)
  if status == 200 and body:find('"received"') then credited = credited + 1 end
end

done = function(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("credited") end
  io.write(string.format("WEBHOOKS_OK %d\n", total))
end
