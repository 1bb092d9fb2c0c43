-- wrk script for the cold path: every request carries the next certificate of WRK_CERTS (one base64
-- DER per line, Traefik's X-Forwarded-Tls-Client-Cert form). The WRK_THREADS_N threads (default 2)
-- start evenly spaced, so a certificate comes back only after every other one was sent: the JDK keeps
-- the last 750 certificates it parsed, with their verified signatures, and a thread following another
-- closely would hit that cache.
-- WRK_PATH (default /auth/traefik) and WRK_URI (the original URI, default /api/v1/health) may be set.
local certs = {}
local next_index = 1
local threads = {}
local thread_count = 0

setup = function(thread)
  thread_count = thread_count + 1
  thread:set("thread_id", thread_count)
  table.insert(threads, thread)
end

init = function(args)
  local f = assert(io.open(os.getenv("WRK_CERTS"), "r"))
  for line in f:lines() do
    if #line > 0 then certs[#certs + 1] = line end
  end
  f:close()
  local id = tonumber(thread_id) or 1
  local n = tonumber(os.getenv("WRK_THREADS_N") or "2")
  next_index = math.floor((id - 1) * #certs / n) % #certs + 1
end

local path = os.getenv("WRK_PATH") or "/auth/traefik"
local uri = os.getenv("WRK_URI") or "/api/v1/health"

request = function()
  local cert = certs[next_index]
  next_index = next_index + 1
  if next_index > #certs then next_index = 1 end
  return wrk.format("GET", path, {
    ["X-Forwarded-Tls-Client-Cert"] = cert,
    ["X-Forwarded-Method"] = "GET",
    ["X-Forwarded-Uri"] = uri,
  })
end

local here = debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./"
dofile(here .. "report.lua")

done = function(summary, latency, requests)
  io.write(upki_json_line(summary, latency) .. "\n")
end
