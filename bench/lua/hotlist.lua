-- GET one path (BENCH_PATH) with a transit operator's bearer token (BENCH_TOKEN).
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local path = os.getenv("BENCH_PATH")
local headers = {["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")}

function request()
  return wrk.format("GET", path, headers)
end

function response(status, headers, body)
  count("status_" .. status)
  wrk.thread:set("counters", counters)
end
