-- The whole application form, photo included, through to the office code; one citizen per flow.
-- Run with as many wrk threads as connections: each thread then has one connection, so its responses come
-- back in the order of its requests and a flow is a simple state machine per thread.
-- BENCH_DATA: one "sessionid=..." per line (a signed-in citizen who has not applied yet);
-- BENCH_PHOTO: the JPEG uploaded in the photo step; BENCH_CSRF: CSRF secret sent as cookie and field;
-- BENCH_BANK, BENCH_OUTLET: ids for the delivery step; BENCH_OFFSET: first line this run may use.
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local csrf = os.getenv("BENCH_CSRF")
local users = {}
local u = 0
local cookie = nil
local step = 0
local token = nil
local photo_body = nil
local boundary = "----sscardbench7MA4YWxkTrZu0gW"

local function urlencode(s)
  return (string.gsub(s, "[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local function form(fields)
  local parts = {"csrfmiddlewaretoken=" .. csrf}
  for _, kv in ipairs(fields) do table.insert(parts, kv[1] .. "=" .. urlencode(kv[2])) end
  return table.concat(parts, "&")
end

local personal, delivery

function init(args)
  local lines = read_lines(os.getenv("BENCH_DATA"))
  local threads = tonumber(os.getenv("BENCH_THREADS") or "1")
  local offset = tonumber(os.getenv("BENCH_OFFSET") or "0")
  local id = wrk.thread:get("id") or 0
  local last = math.min(#lines, offset + tonumber(os.getenv("BENCH_LIMIT") or "100000000"))
  for n = offset + id + 1, last, threads do table.insert(users, lines[n]) end
  local f = assert(io.open(os.getenv("BENCH_PHOTO"), "rb"))
  local jpeg = f:read("*a")
  f:close()
  photo_body = "--" .. boundary .. "\r\n" ..
    'Content-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n' .. csrf .. "\r\n" ..
    "--" .. boundary .. "\r\n" ..
    'Content-Disposition: form-data; name="action"\r\n\r\ncontinue\r\n' ..
    "--" .. boundary .. "\r\n" ..
    'Content-Disposition: form-data; name="photo"; filename="me.jpg"\r\n' ..
    "Content-Type: image/jpeg\r\n\r\n" .. jpeg .. "\r\n" ..
    "--" .. boundary .. "--\r\n"
  personal = form({{"ethnicity", "01"}, {"nationality", "CHN"}, {"document_valid_until", "2035-01-01"},
                   {"occupation", "2"}, {"employer", ""}, {"res_province", "420000"}, {"res_city", "420100"},
                   {"res_district", "420106"}, {"res_detail", "中北路 100 号 1 栋 101 室"}})
  delivery = form({{"bank", os.getenv("BENCH_BANK")}, {"delivery", "pickup"}, {"outlet", os.getenv("BENCH_OUTLET")}})
end

local function headers(content_type)
  local h = {["Cookie"] = "csrftoken=" .. csrf .. "; " .. cookie}
  if content_type then h["Content-Type"] = content_type end
  return h
end

local function next_user()
  u = u + 1
  if u > #users then return false end
  cookie = users[u]
  step = 1
  return true
end

local form_type = "application/x-www-form-urlencoded"

function request()
  if step == 0 and not next_user() then
    count("users_exhausted")
    return wrk.format("GET", "/bench/ceiling")
  end
  if step == 1 then
    return wrk.format("POST", "/card/apply/applicant", headers(form_type), form({{"applying_for", "self"}}))
  elseif step == 2 then
    return wrk.format("POST", "/card/apply/personal", headers(form_type), personal)
  elseif step == 3 then
    return wrk.format("POST", "/card/apply/delivery", headers(form_type), delivery)
  elseif step == 4 then
    return wrk.format("POST", "/card/apply/photo", headers("multipart/form-data; boundary=" .. boundary), photo_body)
  elseif step == 5 then
    return wrk.format("GET", "/card/apply/confirm", headers(nil))
  else
    return wrk.format("POST", "/card/apply/confirm", headers(form_type),
                      form({{"token", token}, {"declaration", "on"}, {"consent", "on"}}))
  end
end

local expected = {"/card/apply/personal", "/card/apply/delivery", "/card/apply/photo", "/card/apply/confirm"}

function response(status, headers_in, body)
  if step == 0 then
    wrk.thread:set("counters", counters)
    return
  end
  local location = headers_in["Location"] or headers_in["location"] or ""
  local ok = false
  if step <= 4 then
    ok = status == 302 and string.find(location, expected[step], 1, true) ~= nil
  elseif step == 5 then
    token = status == 200 and string.match(body, 'name="token" value="([0-9a-f%-]+)"') or nil
    ok = token ~= nil
  else
    local code = status == 302 and string.match(location, "/card/applications/([%w%-]+)/submitted")
    ok = code ~= nil
    if ok then count("submitted") end
  end
  if ok then
    count("step_ok")
    step = step + 1
    if step > 6 then step = 0 end
  else
    count("failed_step_" .. step .. "_" .. status)
    step = 0  -- give up this citizen, start the next one
  end
  wrk.thread:set("counters", counters)
end
