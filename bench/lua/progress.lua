-- Public progress look-up: GET /api/v1/progress?code=...&id_suffix=... with codes from BENCH_DATA
-- ("code<TAB>id suffix<TAB>state" per line). BENCH_MODE=cold: every request a code not asked before in this
-- run (each wrk thread walks its own share of the file; a wrap-around is counted as "repeat");
-- BENCH_MODE=warm: the first BENCH_WARM_SET codes over and over.
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local codes = {}
local i = 0
local step = 1
local mode = os.getenv("BENCH_MODE") or "cold"
local wrapped = false

function init(args)
  local warm_set = tonumber(os.getenv("BENCH_WARM_SET") or "64")
  local threads = tonumber(os.getenv("BENCH_THREADS") or "1")
  local offset = tonumber(os.getenv("BENCH_OFFSET") or "0")
  -- no more lines than a run can use (the 1,000,000-line file would cost wrk seconds of CPU to read)
  local lines = read_lines(os.getenv("BENCH_DATA"),
                           mode == "warm" and warm_set or offset + tonumber(os.getenv("BENCH_LIMIT") or "60000"))
  local id = wrk.thread:get("id") or 0
  if mode == "warm" then
    for n = 1, math.min(warm_set, #lines) do table.insert(codes, split_tab(lines[n])) end
    i = id
  else
    -- this thread's share: lines offset+id+1, offset+id+1+threads, ...
    local last = math.min(#lines, offset + tonumber(os.getenv("BENCH_LIMIT") or "100000000"))
    for n = offset + id + 1, last, threads do table.insert(codes, split_tab(lines[n])) end
  end
end

function request()
  i = i + 1
  if i > #codes then
    i = 1
    wrapped = true
  end
  if wrapped and mode ~= "warm" then count("repeat") end
  local c = codes[i]
  return wrk.format("GET", "/api/v1/progress?code=" .. c[1] .. "&id_suffix=" .. c[2])
end

function response(status, headers, body)
  count("status_" .. status)
  wrk.thread:set("counters", counters)
end
