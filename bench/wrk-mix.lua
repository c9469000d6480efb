-- wrk script of the bench scripts: cycles through the addresses listed in
-- the file $WRK_PATHS, each thread from its own starting point, with the
-- Host $WRK_HOST and the Accept-Encoding $WRK_ACCEPT.
local paths = {}
for line in io.lines(os.getenv("WRK_PATHS")) do
  if line ~= "" then paths[#paths + 1] = line end
end
wrk.headers["Host"] = os.getenv("WRK_HOST")
wrk.headers["Accept-Encoding"] = os.getenv("WRK_ACCEPT")
local counter = 0
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("start", threads * 499)
end
function init(args)
  counter = start or 0
end
function request()
  counter = counter + 1
  return wrk.format("GET", paths[counter % #paths + 1])
end
