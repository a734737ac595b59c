-- bench/search.lua - wrk script: GET /api/v1/public/search with a rotating set of
-- queries (common and rare words, 2 to 6 characters, with and without filters).
local queries = {
  "q=%E5%85%BB%E8%80%81%E4%BF%9D%E9%99%A9",                    -- 养老保险
  "q=%E9%A3%9F%E5%93%81%E7%BB%8F%E8%90%A5",                    -- 食品经营
  "q=%E7%99%BB%E8%AE%B0",                                      -- 登记
  "q=%E6%88%B7%E5%8F%A3",                                      -- 户口
  "q=%E4%B8%8D%E5%8A%A8%E4%BA%A7&domain=%E4%B8%8D%E5%8A%A8%E4%BA%A7%E4%BA%A4%E6%98%93", -- 不动产 in 不动产交易
  "q=%E5%BC%80%E9%A5%AD%E5%BA%97",                             -- 开饭店
  "q=%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7%E5%8F%98%E6%9B%B4",  -- 营业执照变更
  "q=%E7%AC%AC12345%E5%8F%B7",                                 -- 第12345号 (one item)
  "q=%E6%9C%80%E4%BD%8E%E7%94%9F%E6%B4%BB%E4%BF%9D%E9%9A%9C",  -- 最低生活保障
  "q=%E7%87%83%E6%B0%94",                                      -- 燃气
}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/api/v1/public/search?limit=20&" .. queries[(n % #queries) + 1])
end
