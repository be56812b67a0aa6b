-- wrk script: catalogue searches, rotating over queries and provinces (docs/BENCHMARKS.md, "Service").
local queries = { "juru las", "operator mesin", "welder", "kasir toko", "perawat", "teknisi listrik",
  "akuntan", "sopir truk", "juru masak", "administrasi gudang", "customer service", "programmer" }
local provinces = { "31", "32", "33", "35", "12", "73", "51", "64" }
local n = 0
request = function()
  n = n + 1
  local q = queries[(n % #queries) + 1]:gsub(" ", "%%20")
  local p = provinces[(n % #provinces) + 1]
  return wrk.format("GET", "/api/search?q=" .. q .. "&province=" .. p .. "&kind=job&limit=10")
end
