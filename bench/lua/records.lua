-- GET the records pages of many people or employers: BENCH_DATA has one "path<TAB>Cookie header" per line
-- (bench.records sessions), taken round and round, each thread from its own offset. A redirect to the login page
-- or an error page is counted apart from the 200s.
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local lines = {}
local i = 0

function init(args)
  for _, line in ipairs(read_lines(os.getenv("BENCH_DATA"))) do
    local fields = split_tab(line)
    table.insert(lines, {fields[1], fields[2]})
  end
  i = (wrk.thread:get("id") or 0) * 97
end

function request()
  i = (i % #lines) + 1
  return wrk.format("GET", lines[i][1], {["Cookie"] = lines[i][2]})
end

function response(status, headers, body)
  count("status_" .. status)
  wrk.thread:set("counters", counters)
end
