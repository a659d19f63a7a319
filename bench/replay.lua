-- wrk script: sends each prepared request once to BENCH_PATH, then idles on the health-check; counts the answers
-- with status 200 whose body contains BENCH_OK (plain text). BENCH_LINES holds one request per line: the body, or
-- "<signature> <body>" when BENCH_SIGNATURE_HEADER names the header that carries the signature. Prints
-- "REPLAYED_OK <n>" at the end. Use with -t1 (each thread would send every line).
local threads = {}
function setup(thread) table.insert(threads, thread) end

local path, ok_text, signature_header = os.getenv("BENCH_PATH"), os.getenv("BENCH_OK"), os.getenv("BENCH_SIGNATURE_HEADER")
local lines, next_line = {}, 1
answered_ok = 0  -- global: read back from each thread in done()
for line in io.lines(os.getenv("BENCH_LINES")) do lines[#lines + 1] = line end

request = function()
  local line = lines[next_line]
  if line == nil then return wrk.format("GET", "/api/v1/health-check") end
  next_line = next_line + 1
  local headers = {["Content-Type"] = "application/json"}
  local body = line
  if signature_header and signature_header ~= "" then
    local signature
    signature, body = line:match("^(%x+) (.*)$")
    headers[signature_header] = signature
  end
  return wrk.format("POST", path, headers, body)
end

response = function(status, headers, body)
  if status == 200 and body:find(ok_text, 1, true) then answered_ok = answered_ok + 1 end
end

done = function(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("answered_ok") end
  io.write(string.format("REPLAYED_OK %d\n", total))
end
