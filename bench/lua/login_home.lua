-- Log in with a password (POST /accounts/login) and open the personal center with the new session.
-- BENCH_DATA: one "identifier<TAB>password" per line. BENCH_CSRF: a CSRF secret sent as cookie and field.
-- State is per wrk thread, not per connection: every login pushes its session onto a queue and the next
-- request of that thread opens the personal center with it, so logins and pages stay one to one.
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

local users = {}
local sessions = {}
local i = 0
local csrf = os.getenv("BENCH_CSRF")

local function urlencode(s)
  return (string.gsub(s, "[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
  users = read_lines(os.getenv("BENCH_DATA"))
  i = (wrk.thread:get("id") or 0) * 7
end

function request()
  if #sessions > 0 then
    local cookie = table.remove(sessions, 1)
    return wrk.format("GET", "/accounts/home", {["Cookie"] = "csrftoken=" .. csrf .. "; " .. cookie})
  end
  i = (i % #users) + 1
  local fields = split_tab(users[i])
  local body = "identifier=" .. urlencode(fields[1]) .. "&password=" .. urlencode(fields[2]) ..
               "&csrfmiddlewaretoken=" .. csrf
  return wrk.format("POST", "/accounts/login", {
    ["Cookie"] = "csrftoken=" .. csrf,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, body)
end

-- Responses of different connections finish in any order, so each one is classified by its content.
function response(status, headers, body)
  local location = headers["Location"] or headers["location"]
  if status == 302 and location and string.find(location, "/accounts/home", 1, true) then
    local cookie = headers["Set-Cookie"] or headers["set-cookie"] or ""
    local sid = string.match(cookie, "(sessionid=[^;]+)")
    if sid then
      count("login_ok")
      table.insert(sessions, sid)
    else
      count("login_no_session_cookie")
    end
  elseif status == 302 and location and string.find(location, "/accounts/login", 1, true) then
    count("home_redirected_to_login")
  elseif status == 200 and string.find(body, 'name="identifier"', 1, true) then
    count("login_failed")
  elseif status == 200 then
    count("home_ok")
  else
    count("status_" .. status)
  end
  wrk.thread:set("counters", counters)
end
