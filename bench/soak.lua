-- bench/soak.lua — mixed traffic for bench/soak (wrk 4.1).
--
-- wrk ... -s bench/soak.lua URL -- OPP SHIFT ORG SPECIALIST_ID DELAY_MS
--   OPP/SHIFT: an open opportunity of the coordinator's organisation with one
--   big shift (bench/soak makes it); ORG: that organisation; SPECIALIST_ID: a
--   public profile; DELAY_MS: pause before each request (throttling).
--
-- Each thread logs in three demo accounts — a specialist (one per thread),
-- the coordinator and a beneficiary — with its first requests, recognising
-- each login answer by the e-mail in it, and reuses their cookies and CSRF
-- tokens.  Until they are in, it browses.  The mix: pages as a visitor (home,
-- search, an opportunity, the organisation, a specialist), the JSON search,
-- GET /api/v1/me, the booking cycle (the specialist applies, the coordinator
-- accepts, the specialist withdraws — so it can apply again) and help
-- requests from the beneficiary.  Statuses are counted per thread and
-- printed by done() as "status CODE COUNT" lines.

local threads = {}
local counter = 0
local specialists = { "dr.sara@khibra.local", "eng.omar@khibra.local", "dev.layla@khibra.local",
	"teacher.huda@khibra.local", "lawyer.khalid@khibra.local" }
local beneficiaries = { "family.ahmad@khibra.local", "student.mariam@khibra.local" }

function setup(thread)
	counter = counter + 1
	thread:set("tid", counter)
	table.insert(threads, thread)
end

local opp, shift, org, spec, pause
local accounts = {}      -- role -> { email, cookie, csrf, pending }
statuses = {}           -- global: done() reads it with thread:get
-- the booking cycle: one application per thread at a time, one step in flight
local stage = "apply"    -- apply | accept | withdraw | find | wait
local sent               -- the step in flight
local current            -- the application's id
local n = 0

function init(args)
	opp, shift, org, spec = args[1], args[2], args[3], args[4]
	pause = tonumber(args[5] or "0")
	accounts.specialist = { email = specialists[(tid - 1) % #specialists + 1] }
	accounts.coordinator = { email = "coordinator@khibra.local" }
	accounts.beneficiary = { email = beneficiaries[(tid - 1) % #beneficiaries + 1] }
	statuses = {}
end

function delay()
	return pause
end

local json_headers = { ["Content-Type"] = "application/json" }

local function login(role)
	local a = accounts[role]
	a.pending = true
	return wrk.format("POST", "/api/v1/auth/login", json_headers,
		'{"email":"' .. a.email .. '","password":"khibra-demo-2026"}')
end

-- as: a JSON call with the role's cookie and CSRF token.
local function as(role, method, path, body)
	local a = accounts[role]
	local h = { ["Cookie"] = "khibra_session=" .. a.cookie, ["X-CSRF-Token"] = a.csrf,
		["Content-Type"] = "application/json" }
	return wrk.format(method, path, h, body)
end

local pages = {}
local function browse()
	if #pages == 0 then
		pages = { "/", "/opportunities", "/opportunities/" .. opp, "/orgs/" .. org, "/specialists/" .. spec,
			"/opportunities?q=%D8%B7%D8%A8&lang=en", "/?lang=en", "/api/v1/opportunities?limit=10",
			"/api/v1/opportunities/" .. opp, "/skills" }
	end
	return wrk.format("GET", pages[math.random(#pages)])
end

function request()
	n = n + 1
	for _, role in ipairs({ "specialist", "coordinator", "beneficiary" }) do
		local a = accounts[role]
		if not a.cookie then
			if not a.pending then return login(role) end
			return browse()
		end
	end
	local r = math.random(100)
	if r <= 60 then return browse() end
	if r <= 70 then
		local roles = { "specialist", "coordinator", "beneficiary" }
		return as(roles[math.random(3)], "GET", "/api/v1/me")
	end
	if r <= 90 and stage ~= "wait" then
		sent, stage = stage, "wait"
		if sent == "accept" then
			return as("coordinator", "POST", "/api/v1/applications/" .. current .. "/accept", "{}")
		elseif sent == "withdraw" then
			return as("specialist", "POST", "/api/v1/applications/" .. current .. "/withdraw", "{}")
		elseif sent == "find" then
			return as("specialist", "GET", "/api/v1/me/applications?limit=100")
		end
		return as("specialist", "POST", "/api/v1/opportunities/" .. opp .. "/applications",
			'{"shift_id":' .. shift .. ',"message":"soak"}')
	end
	if r <= 90 then return browse() end
	if r <= 95 then
		return as("beneficiary", "POST", "/api/v1/requests",
			'{"domain":"education","title":"Soak help","details":"A question about fractions","city":"hail","urgency":"low"}')
	end
	return as("coordinator", "GET", "/api/v1/opportunities/" .. opp .. "/applications")
end

function response(status, headers, body)
	statuses[status] = (statuses[status] or 0) + 1
	if not body then return end
	local csrf = body:match('"csrf_token":"([^"]+)"')
	if csrf then
		local cookie = (headers["Set-Cookie"] or ""):match("khibra_session=([^;]+)")
		for _, a in pairs(accounts) do
			if a.pending and body:find('"email":"' .. a.email .. '"', 1, true) then
				a.cookie, a.csrf, a.pending = cookie, csrf, false
			end
		end
		return
	end
	if sent == "find" and stage == "wait" and body:sub(1, 9) == '{"items":' then
		-- a live application left by an earlier run (or an unanswered apply)
		for id, st in body:gmatch('{"id":(%d+),"opportunity_id":' .. opp .. ',"shift_id":' .. shift ..
			',"user_id":%d+,"status":"(%a+)"') do
			if st == "applied" or st == "accepted" then current = id end
		end
		stage = current and "withdraw" or "apply"
		return
	end
	local id, st = body:match('^{"application":{"id":(%d+),.-"status":"(%a+)"')
	if id then
		current = id
		if st == "applied" then stage = "accept"
		elseif st == "accepted" then stage = "withdraw"
		else current, stage = nil, "apply" end
	elseif (status == 409 or status == 422) and stage == "wait" then
		-- the step in flight was refused (nothing else answers 409 or 422):
		-- an application that was not accepted is withdrawn; after a
		-- refused withdrawal, start again
		if sent == "accept" then stage = "withdraw"
		elseif sent == "apply" and body:find('"duplicate"', 1, true) then stage = "find"
		else current, stage = nil, "apply" end
	end
end

function done(summary, latency, requests)
	local total = {}
	for _, t in ipairs(threads) do
		local s = t:get("statuses")
		for code, count in pairs(s or {}) do total[code] = (total[code] or 0) + count end
	end
	for code, count in pairs(total) do
		io.write(string.format("status %d %d\n", code, count))
	end
	io.write(string.format("requests %d\n", summary.requests))
	io.write(string.format("duration_us %d\n", summary.duration))
	io.write(string.format("latency_p50_us %d\nlatency_p99_us %d\n", latency:percentile(50), latency:percentile(99)))
end
