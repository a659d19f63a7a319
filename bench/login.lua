-- wrk script: POST logins for the benchmark users bench0..bench15 (set up by bench/auth.sh), in turn: one
-- account allows one password verification at a time (src/auth/accounts.hpp), so a single account would measure
-- that lock, not the hashing throughput. BENCH_LOGIN_EMAIL (default "bench%d@example.ng") names them, %d running
-- from BENCH_LOGIN_FIRST (default 0).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local users = tonumber(os.getenv("BENCH_LOGIN_USERS") or "16")
local email = os.getenv("BENCH_LOGIN_EMAIL") or "bench%d@example.ng"
local first = tonumber(os.getenv("BENCH_LOGIN_FIRST") or "0")
local n = 0
request = function()
  n = n + 1
  local body = '{"email":"' .. string.format(email, first + n % users) .. '","password":"' ..
               os.getenv("BENCH_PASSWORD") .. '"}'
  return wrk.format(nil, nil, nil, body)
end
