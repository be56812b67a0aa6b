-- wrk script: POST /api/match with short CVs in Bahasa Indonesia, rotating over profiles and
-- provinces (docs/BENCHMARKS.md, "Service").
local cvs = {
  "Lulusan SMK, 3 tahun pengalaman sebagai tukang las. Bisa menggunakan peralatan las, las busur listrik dan menerapkan K3.",
  "Pengalaman 2 tahun di gudang: mengoperasikan forklift, menyimpan barang di gudang, administrasi stok dengan Microsoft Excel.",
  "Lulusan SMA, kasir minimarket 1 tahun, melayani pelanggan, menangani transaksi tunai dan menjaga kebersihan toko.",
  "Juru masak restoran 4 tahun, menyiapkan bahan makanan, memasak hidangan Indonesia, menjaga kebersihan dapur.",
  "Perawat lulusan D3 keperawatan, merawat pasien, memberikan obat, mencatat rekam medis.",
  "Teknisi listrik, memasang instalasi listrik rumah, membaca gambar teknik, memperbaiki peralatan listrik.",
  "Admin kantor: mengetik surat, mengelola arsip, Microsoft Excel dan Word, melayani telepon.",
  "Sopir truk 5 tahun, SIM B1, merawat kendaraan, mengantar barang antar kota.",
}
local provinces = { "31", "32", "33", "35", "12", "73", "51", "64" }
local n = 0
request = function()
  n = n + 1
  local body = string.format('{"text":"%s","province":"%s","limit":10}', cvs[(n % #cvs) + 1], provinces[(n % #provinces) + 1])
  return wrk.format("POST", "/api/match", { ["Content-Type"] = "application/json" }, body)
end
