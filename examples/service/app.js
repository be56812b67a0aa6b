// The demo page: plain JavaScript, no build step. Every text from the server goes into the
// page through textContent (never innerHTML), except the two SVG charts, which the library
// builds with every label escaped.
"use strict";

const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") node.className = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    node.append(typeof c === "string" ? document.createTextNode(c) : c);
  }
  return node;
}

const rupiah = (n) => "Rp " + Number(n).toLocaleString("id-ID");
const pct = (x) => Math.round(100 * x) + "%";

async function api(method, path, body) {
  const options = { method, headers: {} };
  if (body !== undefined) {
    options.headers["content-type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const response = await fetch(path, options);
  let data = null;
  try {
    data = await response.json();
  } catch (_) {
    throw new Error("jawaban server tidak terbaca (" + response.status + ")");
  }
  if (!response.ok) throw new Error(data && data.error ? data.error : "kesalahan " + response.status);
  return data;
}

function showTab(name) {
  for (const t of ["seeker", "blk"]) {
    $(t).hidden = t !== name;
    $("tab-" + t).classList.toggle("active", t === name);
  }
}

function setStatus(id, text, isError) {
  const s = $(id);
  s.textContent = text;
  s.classList.toggle("error", !!isError);
}

// ----- job seeker -----

function profileRequest() {
  const req = { text: $("cv").value };
  if ($("province").value) req.province = $("province").value;
  if ($("education").value) req.education = $("education").value;
  return req;
}

function renderProfile(profile) {
  const list = $("profile-skills");
  list.replaceChildren();
  for (const s of profile.skills) {
    list.append(el("li", { title: s.uri }, s.label + (s.source !== "listed" ? " (\u201c" + s.source + "\u201d)" : "")));
  }
  if (profile.skills.length === 0) list.append(el("li", {}, "belum ada keterampilan yang dikenali; tulis lebih rinci"));
  const facts = [];
  if (profile.province) facts.push(profile.province.name);
  if (profile.education) facts.push(profile.education);
  if (profile.experience_years != null) facts.push(profile.experience_years + " tahun pengalaman");
  if (facts.length) list.append(el("li", {}, facts.join(" · ")));
  $("profile").hidden = false;
}

function renderMatches(matches) {
  const list = $("matches");
  list.replaceChildren();
  for (const m of matches) {
    const cls = m.score >= 0.7 ? "score" : m.score >= 0.5 ? "score mid" : "score low";
    const where = m.province ? m.province.name : "remote";
    const salary = m.salary ? " · " + rupiah(m.salary.monthly_min) + "–" + rupiah(m.salary.monthly_max) + "/bulan" : "";
    const why = el("ul", { class: "why" });
    for (const s of m.matched) why.append(el("li", { class: "has" }, "Punya: " + s.skill.label));
    for (const s of m.partial) {
      why.append(el("li", { class: "partly" }, "Sebagian: " + s.skill.label + " (lewat " + s.via.label + ")"));
    }
    for (const s of m.missing.slice(0, 5)) {
      why.append(el("li", { class: "missing" }, "Belum: " + s.skill.label + (s.essential ? " (wajib)" : "")));
    }
    const item = el("li", { class: "match", "data-id": m.id },
      el("h3", {}, el("span", { class: cls }, pct(m.score)), m.title),
      el("p", { class: "meta" }, (m.employer || "") + (m.employer ? " · " : "") + where + salary),
      why);
    if (!m.eligible) item.append(el("p", { class: "warn" }, "Syarat belum terpenuhi: " + m.constraints.join("; ")));
    list.append(item);
  }
  if (matches.length === 0) {
    list.append(el("li", { class: "none" }, "Belum ada lowongan yang cocok di provinsi ini. Coba tulis keterampilan lain."));
  }
  $("results").hidden = false;
}

function renderPlan(data) {
  const plan = data.plan;
  const steps = $("plan-steps");
  steps.replaceChildren();
  for (const s of plan.steps) {
    const where = s.province ? s.province.name : s.mode === "online" ? "daring" : "";
    const when = s.start ? " · mulai " + s.start : "";
    steps.append(el("li", { class: "step", "data-id": s.id },
      el("strong", {}, s.title),
      el("div", { class: "meta" }, [s.provider, where].filter(Boolean).join(" · ") + when),
      el("div", {}, el("span", { class: "cost" }, s.cost === 0 ? "Gratis" : rupiah(s.cost)), " · " + s.hours + " jam"),
      el("div", { class: "meta" }, "Menutup: " + s.closes.map((k) => k.label).join(", "))));
  }
  if (plan.steps.length === 0) {
    $("plan-summary").textContent = data.gap.skills.length === 0
      ? "Tidak ada kekurangan keterampilan untuk lowongan terbaik Anda."
      : "Tidak ada pelatihan yang tersedia untuk menutup kekurangan ini.";
  } else {
    $("plan-summary").textContent = plan.steps.length + " pelatihan, total " + rupiah(plan.cost) + ", " +
      plan.hours + " jam" + (plan.complete ? "; menutup semua kekurangan." : "; sebagian kekurangan tetap terbuka.");
  }
  const o = data.opens;
  $("plan-opens").textContent = "Membuka " + o.opened + " lowongan lagi: cocok dengan " + o.fit_before + " dari " +
    o.postings + " lowongan sekarang, " + o.fit_after + " setelah pelatihan" +
    (o.median_salary ? " (gaji tengah " + rupiah(o.median_salary) + "/bulan)." : ".");
  $("plan").hidden = false;
  $("plan").dataset.state = "done";
}

async function submitSeeker(event) {
  if (event) event.preventDefault();
  if (!$("cv").value.trim()) {
    setStatus("seeker-status", "Tulis keterampilan atau CV singkat Anda dulu.", true);
    return;
  }
  $("seeker-submit").disabled = true;
  setStatus("seeker-status", "Mencari…");
  const req = profileRequest();
  const planReq = Object.assign({}, req);
  if ($("budget").value) planReq.max_cost = Number($("budget").value);
  try {
    const [matches, plan] = await Promise.all([api("POST", "/api/match", req), api("POST", "/api/plan", planReq)]);
    renderProfile(matches.profile);
    renderMatches(matches.matches);
    renderPlan(plan);
    setStatus("seeker-status", "");
    document.body.dataset.seeker = "done";
  } catch (e) {
    setStatus("seeker-status", "Gagal: " + e.message, true);
    document.body.dataset.seeker = "error";
  } finally {
    $("seeker-submit").disabled = false;
  }
}

// ----- BLK officer -----

function renderBlk(d) {
  $("blk-title").textContent = "Ringkasan BLK: " + d.province.name;
  $("blk-counts").textContent = d.postings + " lowongan, " + d.candidates + " pencari kerja, " +
    d.funnel.enrolled + " peserta pelatihan BLK" + (d.as_of ? " (data sampai " + d.as_of + ")" : "") + ".";
  const bars = $("blk-shortages");
  bars.replaceChildren();
  const max = Math.max(0.01, ...d.shortages.map((s) => Math.max(s.demand_share, s.supply_share)));
  for (const s of d.shortages) {
    const demand = el("div", { class: "bar demand", title: s.demand + " lowongan" });
    demand.style.width = (100 * s.demand_share / max).toFixed(1) + "%";
    const supply = el("div", { class: "bar supply", title: s.supply + " pencari kerja" });
    supply.style.width = (100 * s.supply_share / max).toFixed(1) + "%";
    bars.append(el("li", { class: "shortage" },
      el("div", { class: "name" }, s.skill.label + " — " + pct(s.demand_share) + " lowongan, " + pct(s.supply_share) + " pencari kerja"),
      demand, supply));
  }
  if (d.shortages.length === 0) bars.append(el("li", {}, "Belum ada data lowongan di provinsi ini."));
  // The library escapes every label in its SVG charts.
  $("blk-funnel").innerHTML = d.funnel_svg;
  $("blk-rates").innerHTML = d.rates_svg;
  $("blk-note").textContent = "Catatan: data pelatihan adalah data sintetis untuk demo. Sel bertanda * terlalu kecil untuk dibandingkan.";
  $("blk-report").hidden = false;
  $("blk-report").dataset.state = "done";
}

async function submitBlk(event) {
  if (event) event.preventDefault();
  $("blk-submit").disabled = true;
  setStatus("blk-status", "Memuat…");
  try {
    const d = await api("GET", "/api/blk?province=" + encodeURIComponent($("blk-province").value));
    renderBlk(d);
    setStatus("blk-status", "");
  } catch (e) {
    setStatus("blk-status", "Gagal: " + e.message, true);
  } finally {
    $("blk-submit").disabled = false;
  }
}

// ----- start -----

async function start() {
  $("tab-seeker").addEventListener("click", () => showTab("seeker"));
  $("tab-blk").addEventListener("click", () => showTab("blk"));
  $("seeker-form").addEventListener("submit", submitSeeker);
  $("blk-form").addEventListener("submit", submitBlk);
  try {
    const provinces = await api("GET", "/api/provinces");
    for (const p of provinces) {
      $("province").append(el("option", { value: p.code }, p.name));
      $("blk-province").append(el("option", { value: p.code }, p.name));
    }
    $("blk-province").value = "32";
  } catch (e) {
    setStatus("seeker-status", "Daftar provinsi tidak termuat: " + e.message, true);
  }
  // A link can carry a profile (?cv=…&province=…&education=…&budget=…) or a province for
  // the BLK view (?blk=32): the page fills the form and submits it, so a demo is one click.
  const q = new URLSearchParams(location.search);
  if (q.has("cv")) {
    $("cv").value = q.get("cv");
    if (q.has("province")) $("province").value = q.get("province");
    if (q.has("education")) $("education").value = q.get("education");
    if (q.has("budget")) $("budget").value = q.get("budget");
    await submitSeeker();
  }
  if (q.has("blk")) {
    showTab("blk");
    $("blk-province").value = q.get("blk");
    await submitBlk();
  }
}

start();
