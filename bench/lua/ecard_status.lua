-- E-card online status check: GET one of the request paths of BENCH_DATA (one `/api/v1/ecard/status?token=...`
-- per line), round and round; counts the answers whose status is "valid".
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local paths = {}
local i = 0

function init(args)
  paths = read_lines(os.getenv("BENCH_DATA"))
  i = wrk.thread:get("id") or 0
end

function request()
  i = (i % #paths) + 1
  return wrk.format("GET", paths[i])
end

function response(status, headers, body)
  count("status_" .. status)
  if body and string.find(body, '"status": ?"valid"') then count("valid") end
  wrk.thread:set("counters", counters)
end
