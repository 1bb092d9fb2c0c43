-- wrk script: POSTs the DER OCSP request of the file OCSP_REQ to the URL (RFC 6960 appendix A.1),
-- and prints report.lua's JSON line. Every answer is checked to be 200 by wrk's own error count.
local f = assert(io.open(os.getenv("OCSP_REQ"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/ocsp-request"

local here = debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./"
dofile(here .. "report.lua")
