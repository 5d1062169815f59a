-- Seeds the demo Redis with reminders of the 2022 plan in the documented
-- key format ({p}:reminders payloads, {p}:due fire times), until the plan
-- loader writes them. KEYS: reminders due. Times are Asia/Ho_Chi_Minh.
local t0 = 1651021200000  -- 2022-04-27T08:00:00+07:00
local min = 60000
local agencies = {
  ['dai-truyen-thanh'] = {'Đài Truyền thanh huyện', 'ông Lê Văn Minh (giả định)', '5218391034920148231', 'dtt@example.gov.vn'},
  ['noi-vu'] = {'Phòng Nội vụ', 'bà Trần Thị Hoa (giả định)', '5218391034920148232', 'noivu@example.gov.vn'},
  ['van-hoa'] = {'Phòng Văn hóa và Thông tin', 'ông Nguyễn Văn Tâm (giả định)', '5218391034920148233', 'vhtt@example.gov.vn'},
}
local tasks = {
  ['chi-so-cchc'] = {'Kết quả Chỉ số cải cách hành chính của huyện và các xã, thị trấn', '2022-04-01..2022-04-30'},
  ['dan-hoi'] = {'Chuyên mục "Dân hỏi - Chính quyền trả lời"', '2022-04-30'},
}
-- task, spec, agency, channel, minutes after t0
local rows = {
  {'chi-so-cchc', 'end-3d@08:00', 'dai-truyen-thanh', 'zalo', 0},
  {'chi-so-cchc', 'end-3d@08:00', 'dai-truyen-thanh', 'email', 0},
  {'chi-so-cchc', 'end-3d@08:00', 'noi-vu', 'zalo', 0},
  {'chi-so-cchc', 'end-3d@08:00', 'noi-vu', 'email', 0},
  {'dan-hoi', 'end-3d@trua-30m', 'dai-truyen-thanh', 'zalo', 150},
  {'dan-hoi', 'end-3d@chieu-30m', 'dai-truyen-thanh', 'zalo', 495},
  {'dan-hoi', 'end-1d@08:00', 'dai-truyen-thanh', 'zalo', 1440},
  {'dan-hoi', 'end-1d@08:00', 'van-hoa', 'zalo', 1440},
  {'dan-hoi', 'end-1d@08:00', 'noi-vu', 'email', 1440},
}
for _, r in ipairs(rows) do
  local task, a = tasks[r[1]], agencies[r[3]]
  local due = task[2]
  local day = string.sub(due, -10)
  local id = r[1] .. '/' .. day .. '/' .. r[2] .. '/' .. r[3] .. '/' .. r[4]
  local contact = a[3]
  if r[4] == 'email' then contact = a[4] end
  local payload = cjson.encode({id = id, task = r[1], title = task[1],
    agency = r[3], agency_name = a[1], head = a[2], contact = contact,
    channel = r[4], due = due, spec = r[2]})
  redis.call('HSET', KEYS[1], id, payload)
  redis.call('ZADD', KEYS[2], t0 + r[5] * min, id)
end
return #rows
