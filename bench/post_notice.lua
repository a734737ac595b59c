-- wrk script for bench/write_vs_sqlite.sh: POST /api/v1/announcements with the admin's
-- session cookie and CSRF token, a unique title per request, and a count of statuses.
--
-- Environment: YC_COOKIE ("yc_session=..."), YC_CSRF, YC_ACKED_DIR (optional: each
-- thread writes the ids of the announcements it got a 201 for to ACKED_DIR/acked-N).

local threads = {}
local counter = 1

function setup(thread)
  thread:set("id", counter)
  table.insert(threads, thread)
  counter = counter + 1
end

function init(args)
  n = 0
  created = 0
  other = 0
  errors_seen = ""
  wrk.method = "POST"
  wrk.headers["Cookie"] = os.getenv("YC_COOKIE")
  wrk.headers["X-CSRF-Token"] = os.getenv("YC_CSRF")
  wrk.headers["Content-Type"] = "application/json"
  local dir = os.getenv("YC_ACKED_DIR")
  if dir and dir ~= "" then
    acked = io.open(dir .. "/acked-" .. id, "w")
  end
end

function request()
  n = n + 1
  local body = string.format(
    '{"center_id":1,"title":"压测公告 t%d-%d","body":"本中心将于周六上午照常办公，请办事群众携带身份证件按时前来。"}',
    id, n)
  return wrk.format(nil, "/api/v1/announcements", nil, body)
end

function response(status, headers, body)
  if status == 201 then
    created = created + 1
    if acked then
      local nid = string.match(body, '"id":(%d+)')
      acked:write(nid, "\n")
    end
  else
    other = other + 1
    if #errors_seen < 300 then errors_seen = errors_seen .. status .. " " .. body .. "\n" end
  end
end

function done(summary, latency, requests)
  local c, o = 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("created")
    o = o + t:get("other")
    local e = t:get("errors_seen")
    if e and e ~= "" then io.write("sample non-201 answers:\n", e) end
  end
  io.write(string.format("status_201 %d\nstatus_other %d\n", c, o))
end
