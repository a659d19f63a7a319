-- wrk script: POST logins for the benchmark users bench0..bench15 (set up by bench/auth.sh), in turn: one
-- account allows one password verification at a time (src/auth/accounts.hpp), so a single account would measure
-- that lock, not the hashing throughput.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local users = tonumber(os.getenv("BENCH_LOGIN_USERS") or "16")
local n = 0
request = function()
  n = n + 1
  local body = '{"email":"bench' .. (n % users) .. '@example.ng","password":"' .. os.getenv("BENCH_PASSWORD") .. '"}'
  return wrk.format(nil, nil, nil, body)
end
