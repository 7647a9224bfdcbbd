-- GET one path (BENCH_PATH), optionally with a rotating cookie from BENCH_DATA (one Cookie header per line).
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local path = os.getenv("BENCH_PATH") or "/"
local cookies = nil
local i = 0

function init(args)
  local data = os.getenv("BENCH_DATA")
  if data and data ~= "" then
    cookies = read_lines(data)
    i = wrk.thread:get("id") or 0
  end
end

function request()
  if cookies then
    i = (i % #cookies) + 1
    return wrk.format("GET", path, {["Cookie"] = cookies[i]})
  end
  return wrk.format("GET", path)
end

function response(status, headers, body)
  count("status_" .. status)
  wrk.thread:set("counters", counters)
end
