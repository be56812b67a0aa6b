//! The HTTP service example as a user meets it: each test starts the real router
//! (`examples/service/server.rs`, included below) on a free loopback port and talks HTTP to it
//! over TCP, as any client would.
//!
//! ```text
//! cargo test --features example-service --test service
//! ```
//! The page test drives headless Chromium (Debian's `chromium`, which `.ci/run` installs when
//! it can). Without a browser it prints `SKIPPED: chromium not installed` to stderr and
//! passes; set `SEPADAN_REQUIRE_CHROMIUM=1` to make a missing browser a failure instead.

#[path = "../examples/service/server.rs"]
#[allow(dead_code)] // the example uses parts of the server that these tests do not
mod server;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// The taxonomy, extractor and sample market are loaded once (seconds in a debug build) and
/// cloned for each server.
fn base() -> server::Base {
    static BASE: OnceLock<server::Base> = OnceLock::new();
    BASE.get_or_init(|| server::Base::load(0).expect("the default taxonomy and sample market load")).clone()
}

/// A service on 127.0.0.1 with a free port, stopped (gracefully) when dropped.
struct Service {
    addr: SocketAddr,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<std::io::Result<()>>>,
}

impl Service {
    fn start() -> Service {
        let shared = server::Shared::new(base()).expect("the service state builds");
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free loopback port");
        let addr = listener.local_addr().expect("the bound address");
        listener.set_nonblocking(true).expect("a non-blocking listener");
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener)?;
                server::serve(shared, listener, async {
                    let _ = rx.await;
                })
                .await
            })
        });
        Service { addr, shutdown: Some(tx), thread: Some(thread) }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn request(&self, method: &str, path: &str, body: Option<&Value>) -> Reply {
        let body = body.map(|b| b.to_string());
        http(self.addr, method, path, body.as_deref().map(|b| ("application/json", b.as_bytes())))
    }

    fn get(&self, path: &str) -> Reply {
        self.request("GET", path, None)
    }

    fn post(&self, path: &str, body: &Value) -> Reply {
        self.request("POST", path, Some(body))
    }

    /// Signals shutdown and waits for the server to finish.
    fn stop(mut self) -> std::io::Result<()> {
        self.stop_inner()
    }

    fn stop_inner(&mut self) -> std::io::Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        match self.thread.take() {
            Some(t) => t.join().unwrap_or_else(|_| Err(std::io::Error::other("the server thread panicked"))),
            None => Ok(()),
        }
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.stop_inner();
    }
}

#[derive(Debug)]
struct Reply {
    status: u16,
    content_type: String,
    body: Vec<u8>,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not json ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The `error` message of a JSON error reply.
    fn error(&self) -> String {
        let v = self.json();
        let message = v["error"].as_str().unwrap_or_else(|| panic!("no error message in {v}")).to_string();
        assert!(!message.is_empty());
        assert!(!message.starts_with(char::is_uppercase), "error messages are lowercase: {message}");
        message
    }
}

/// A minimal HTTP/1.1 client: one request per connection (`Connection: close`).
fn http(addr: SocketAddr, method: &str, path: &str, body: Option<(&str, &[u8])>) -> Reply {
    read_reply(send_request(addr, method, path, body))
}

fn send_request(addr: SocketAddr, method: &str, path: &str, body: Option<(&str, &[u8])>) -> TcpStream {
    let mut stream = TcpStream::connect(addr).expect("connect to the service");
    stream.set_read_timeout(Some(Duration::from_secs(120))).expect("a read timeout");
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if let Some((content_type, bytes)) = body {
        head.push_str(&format!("Content-Type: {content_type}\r\nContent-Length: {}\r\n", bytes.len()));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).expect("send the request head");
    if let Some((_, bytes)) = body {
        // The server may answer (413) and close before reading a large body: not an error here.
        let _ = stream.write_all(bytes);
    }
    stream
}

fn read_reply(mut stream: TcpStream) -> Reply {
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    parse_reply(&raw)
}

fn parse_reply(raw: &[u8]) -> Reply {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no http head in {:?}", String::from_utf8_lossy(raw)));
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut body = raw[split + 4..].to_vec();
    let mut lines = head.lines();
    let status: u16 = lines.next().and_then(|l| l.split_whitespace().nth(1)).and_then(|s| s.parse().ok()).unwrap_or(0);
    let mut content_type = String::new();
    let mut chunked = false;
    for line in lines {
        if let Some((k, v)) = line.split_once(':') {
            let (k, v) = (k.trim().to_ascii_lowercase(), v.trim());
            if k == "content-type" {
                content_type = v.to_string();
            }
            if k == "transfer-encoding" && v.eq_ignore_ascii_case("chunked") {
                chunked = true;
            }
        }
    }
    if chunked {
        body = dechunk(&body);
    }
    Reply { status, content_type, body }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = b.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(String::from_utf8_lossy(&b[..eol]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = eol + 2;
        out.extend_from_slice(&b[start..(start + size).min(b.len())]);
        b = &b[(start + size + 2).min(b.len())..];
    }
    out
}

const WELDER_CV: &str = "Saya lulusan SMK, 3 tahun pengalaman sebagai tukang las. Bisa menggunakan peralatan las, \
                         las busur listrik dan menerapkan K3. Domisili Bekasi.";

fn ids(v: &Value, list: &str) -> Vec<String> {
    v[list]
        .as_array()
        .map(|a| a.iter().filter_map(|m| m["id"].as_str().map(String::from)).collect())
        .unwrap_or_default()
}

#[test]
fn serves_the_page_health_and_static_files() {
    let s = Service::start();
    let health = s.get("/health");
    assert_eq!(health.status, 200);
    assert_eq!(health.json()["status"], "ok");
    let page = s.get("/");
    assert_eq!(page.status, 200);
    assert!(page.content_type.starts_with("text/html"), "{}", page.content_type);
    assert!(page.text().contains("Pencari kerja") && page.text().contains("/app.js"));
    assert!(s.get("/app.js").content_type.starts_with("text/javascript"));
    assert!(s.get("/style.css").content_type.starts_with("text/css"));
    let stats = s.get("/api/stats").json();
    assert!(stats["postings"].as_u64().unwrap_or(0) >= 60, "{stats}");
    let provinces = s.get("/api/provinces").json();
    assert!(provinces.as_array().is_some_and(|p| p.len() >= 34), "{provinces}");
}

#[test]
fn searches_the_catalogue_in_either_language_with_filters() {
    let s = Service::start();
    let welder = s.get("/api/search?q=welder&kind=job&limit=5");
    assert_eq!(welder.status, 200, "{}", welder.text());
    let v = welder.json();
    assert!(v["total"].as_u64().unwrap_or(0) >= 2, "{v}");
    assert!(ids(&v, "hits").contains(&"job-0001".to_string()), "{v}");
    // Indonesian query, courses only, in a province by name.
    let courses = s.get("/api/search?q=pelatihan%20las&kind=course&province=Jawa%20Barat").json();
    let hits = courses["hits"].as_array().cloned().unwrap_or_default();
    assert!(!hits.is_empty(), "{courses}");
    assert!(hits.iter().all(|h| h["kind"] == "course"), "{courses}");
    let faceted = s.get("/api/search?q=welder&facets=true").json();
    assert!(faceted["facets"]["provinces"].as_array().is_some_and(|p| !p.is_empty()), "{faceted}");
}

#[test]
fn matches_a_cv_with_the_explanation_and_plans_the_cheapest_training() {
    let s = Service::start();
    let m = s.post("/api/match", &json!({ "text": WELDER_CV, "limit": 3 }));
    assert_eq!(m.status, 200, "{}", m.text());
    let m = m.json();
    assert_eq!(m["profile"]["province"]["code"], "32", "province read from the cv: {m}");
    assert_eq!(m["profile"]["education"], "SMK", "{m}");
    let skills: Vec<&str> =
        m["profile"]["skills"].as_array().into_iter().flatten().filter_map(|k| k["label"].as_str()).collect();
    assert!(skills.contains(&"Menggunakan peralatan las"), "{skills:?}");
    let first = &m["matches"][0];
    assert_eq!(first["id"], "job-0001", "{m}");
    assert!(first["score"].as_f64().unwrap_or(0.0) > 0.5, "{first}");
    assert!(!first["matched"].as_array().is_none_or(|a| a.is_empty()), "matched skills explained: {first}");
    assert!(!first["missing"].as_array().is_none_or(|a| a.is_empty()), "missing skills explained: {first}");
    assert!(m["matches"].as_array().is_some_and(|a| a.len() <= 3));

    let p = s.post("/api/plan", &json!({ "text": WELDER_CV }));
    assert_eq!(p.status, 200, "{}", p.text());
    let p = p.json();
    let steps = p["plan"]["steps"].as_array().cloned().unwrap_or_default();
    assert!(!steps.is_empty(), "{p}");
    assert!(p["opens"]["opened"].as_u64().unwrap_or(0) >= 1, "the plan opens postings: {p}");
    assert!(p["plan"]["summary"].as_str().is_some_and(|t| !t.is_empty()));

    // The gap to one posting, within a budget, in English.
    let one = s.post("/api/plan", &json!({ "text": WELDER_CV, "posting": "job-0001", "max_cost": 0, "lang": "en" }));
    assert_eq!(one.status, 200, "{}", one.text());
    let one = one.json();
    assert_eq!(one["gap"]["targets"], 1);
    assert_eq!(one["plan"]["cost"], 0, "a zero budget buys only free courses: {one}");

    // A whole candidate record in the file format works too.
    let record = json!({ "candidate": {
        "id": "c-1", "location": { "province": "32" }, "education": "SMK",
        "skills": [{ "skill": "use welding equipment", "level": "advanced" }, { "skill": "apply arc welding techniques" }]
    }});
    let r = s.post("/api/match", &record);
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(ids(&r.json(), "matches").contains(&"job-0001".to_string()));
}

#[test]
fn blk_summary_has_demand_supply_and_effectiveness_charts() {
    let s = Service::start();
    let r = s.get("/api/blk?province=32");
    assert_eq!(r.status, 200, "{}", r.text());
    let v = r.json();
    assert_eq!(v["province"]["name"], "Jawa Barat");
    assert!(v["shortages"].as_array().is_some_and(|a| !a.is_empty()), "{v}");
    assert!(v["funnel"]["enrolled"].as_u64().unwrap_or(0) > 0, "{v}");
    assert!(v["funnel_svg"].as_str().is_some_and(|x| x.starts_with("<svg")));
    assert!(v["rates_svg"].as_str().is_some_and(|x| x.starts_with("<svg")));
    let by_name = s.get("/api/blk?province=Jawa%20Timur&lang=en");
    assert_eq!(by_name.status, 200, "{}", by_name.text());
}

fn posting(id: &str, title: &str) -> Value {
    json!({
        "id": id, "title": title, "employer": "PT Uji Coba",
        "location": { "province": "Jawa Barat" },
        "requirements": [{ "skill": "use welding equipment" }, { "skill": "apply arc welding techniques" }],
    })
}

#[test]
fn postings_and_courses_are_added_updated_and_deleted() {
    let s = Service::start();
    let created = s.request("PUT", "/api/postings/svc-1", Some(&posting("svc-1", "Juru Las Uji")));
    assert_eq!(created.status, 201, "{}", created.text());
    assert_eq!(created.json()["created"], true);
    let got = s.get("/api/postings/svc-1");
    assert_eq!(got.status, 200);
    assert_eq!(got.json()["title"], "Juru Las Uji");
    // Visible to search and matching as soon as the write returns.
    assert!(ids(&s.get("/api/search?q=juru%20las%20uji&kind=job").json(), "hits").contains(&"svc-1".to_string()));
    let profile =
        json!({ "skills": ["use welding equipment", "apply arc welding techniques"], "province": "32", "limit": 50 });
    assert!(ids(&s.post("/api/match", &profile).json(), "matches").contains(&"svc-1".to_string()));

    let updated = s.request("PUT", "/api/postings/svc-1", Some(&posting("svc-1", "Juru Las Uji Senior")));
    assert_eq!(updated.status, 200, "{}", updated.text());
    assert_eq!(updated.json()["created"], false);
    assert_eq!(s.get("/api/postings/svc-1").json()["title"], "Juru Las Uji Senior");

    // A posting without requirements gets them from its text.
    let text_only = json!({ "id": "svc-2", "title": "Tukang Las", "location": { "province": "32" },
        "description": "Kualifikasi:\n- Wajib bisa menggunakan peralatan las" });
    assert_eq!(s.post("/api/postings", &text_only).status, 201);
    let stored = s.get("/api/postings/svc-2").json();
    assert!(stored["requirements"].as_array().is_some_and(|r| !r.is_empty()), "{stored}");

    let deleted = s.request("DELETE", "/api/postings/svc-1", None);
    assert_eq!(deleted.status, 200, "{}", deleted.text());
    assert_eq!(s.get("/api/postings/svc-1").status, 404);
    assert_eq!(s.request("DELETE", "/api/postings/svc-1", None).status, 404);
    assert!(!ids(&s.get("/api/search?q=juru%20las%20uji&kind=job").json(), "hits").contains(&"svc-1".to_string()));
    assert!(!ids(&s.post("/api/match", &profile).json(), "matches").contains(&"svc-1".to_string()));

    let course = json!({ "id": "svc-c1", "title": "Pelatihan Las Uji", "provider": "BLK Uji", "provider_kind": "blk",
        "location": { "province": "32" }, "hours": 40, "cost": 0,
        "skills": [{ "skill": "perform welding inspection", "level": "advanced" }] });
    let c = s.post("/api/courses", &course);
    assert_eq!(c.status, 201, "{}", c.text());
    assert_eq!(s.get("/api/courses/svc-c1").json()["provider"], "BLK Uji");
    assert!(
        ids(&s.get("/api/search?q=pelatihan%20las%20uji&kind=course").json(), "hits").contains(&"svc-c1".to_string())
    );
    assert_eq!(s.request("DELETE", "/api/courses/svc-c1", None).status, 200);
    assert_eq!(s.get("/api/courses/svc-c1").status, 404);
}

#[test]
fn bad_requests_get_clear_json_4xx_errors() {
    let s = Service::start();
    let raw = |method: &str, path: &str, content_type: &str, body: &str| {
        http(s.addr, method, path, Some((content_type, body.as_bytes())))
    };
    let json_ct = "application/json";
    let cases: Vec<(&str, Reply, u16, &str)> = vec![
        ("malformed json", raw("POST", "/api/match", json_ct, "{\"text\": "), 400, "json"),
        ("unknown field", raw("POST", "/api/match", json_ct, "{\"txt\": \"x\"}"), 422, "unknown field"),
        ("wrong content type", raw("POST", "/api/match", "text/plain", "{}"), 415, "content-type"),
        ("unknown skill", s.post("/api/match", &json!({ "skills": ["weldng"] })), 422, "weldng"),
        ("unknown province", s.post("/api/match", &json!({ "text": "las", "province": "Atlantis" })), 422, "atlantis"),
        ("bad education", s.post("/api/match", &json!({ "text": "las", "education": "phd-ish" })), 422, "education"),
        ("too many matches", s.post("/api/match", &json!({ "text": "las", "limit": 51 })), 422, "limit exceeded"),
        ("bad lang", s.post("/api/match", &json!({ "text": "las", "lang": "fr" })), 422, "lang"),
        ("too long cv", s.post("/api/match", &json!({ "text": "a".repeat(20_001) })), 422, "limit exceeded"),
        ("threshold", s.post("/api/plan", &json!({ "text": "las", "threshold": 2 })), 422, "threshold"),
        ("plan unknown posting", s.post("/api/plan", &json!({ "text": "las", "posting": "nope" })), 404, "nope"),
        ("search page too big", s.get("/api/search?q=las&limit=5000"), 422, "limit exceeded"),
        ("search query too long", s.get(&format!("/api/search?q={}", "a".repeat(1001))), 422, "query bytes"),
        ("search bad number", s.get("/api/search?limit=abc"), 400, "limit"),
        ("search unknown param", s.get("/api/search?qq=las"), 400, "qq"),
        ("search bad kind", s.get("/api/search?kind=pet"), 422, "kind"),
        ("blk without province", s.get("/api/blk"), 422, "province"),
        ("blk unknown province", s.get("/api/blk?province=Narnia"), 422, "narnia"),
        ("posting not an object", s.post("/api/postings", &json!([1, 2])), 400, "json object"),
        ("posting missing title", s.post("/api/postings", &json!({ "id": "x" })), 422, "title"),
        (
            "posting unknown skill",
            s.post("/api/postings", &json!({ "id": "x", "title": "t", "requirements": [{ "skill": "weldng" }] })),
            422,
            "requirements[0].skill",
        ),
        (
            "posting bad salary",
            s.post("/api/postings", &json!({ "id": "x", "title": "t", "salary": { "min": 9, "max": 1 } })),
            422,
            "salary",
        ),
        (
            "posting id mismatch",
            s.request("PUT", "/api/postings/a", Some(&json!({ "id": "b", "title": "t" }))),
            422,
            "differs",
        ),
        ("posting empty id", s.post("/api/postings", &json!({ "id": " ", "title": "t" })), 422, "id"),
        ("posting not utf-8", http(s.addr, "POST", "/api/postings", Some((json_ct, &[0xff, 0xfe]))), 400, "utf-8"),
        (
            "course bad hours",
            s.post("/api/courses", &json!({ "id": "c", "title": "t", "provider": "p", "hours": -1 })),
            422,
            "hours",
        ),
        ("unknown posting", s.get("/api/postings/nope"), 404, "nope"),
        ("unknown course", s.request("DELETE", "/api/courses/nope", None), 404, "nope"),
        ("unknown endpoint", s.get("/api/nothing"), 404, "no such endpoint"),
        ("wrong method", s.request("PATCH", "/api/postings/x", None), 405, "method"),
        (
            "body too large",
            raw("POST", "/api/postings", json_ct, &format!("{{\"id\":\"x\",\"title\":\"{}\"}}", "a".repeat(300_000))),
            413,
            "",
        ),
    ];
    let mut failures = Vec::new();
    for (name, reply, status, needle) in &cases {
        if reply.status != *status {
            failures.push(format!("{name}: status {} (wanted {status}): {}", reply.status, reply.text()));
            continue;
        }
        let message = reply.error();
        if !message.to_lowercase().contains(needle) {
            failures.push(format!("{name}: {message:?} does not mention {needle:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Still serving after all of that.
    assert_eq!(s.get("/health").status, 200);
}

#[test]
fn concurrent_writes_during_reads_never_fail_a_reader() {
    let s = Arc::new(Service::start());
    let writing = Arc::new(AtomicBool::new(true));
    let reads_during_writes = Arc::new(AtomicUsize::new(0));
    let readers: Vec<_> = (0..3)
        .map(|r| {
            let (s, writing, count) = (s.clone(), writing.clone(), reads_during_writes.clone());
            std::thread::spawn(move || {
                let mut worst = Duration::ZERO;
                let mut n = 0;
                while writing.load(Ordering::SeqCst) || n < 3 {
                    let started = Instant::now();
                    let reply = if (n + r) % 2 == 0 {
                        s.post("/api/match", &json!({ "text": WELDER_CV, "limit": 5 }))
                    } else {
                        s.get("/api/search?q=las&limit=20")
                    };
                    assert_eq!(reply.status, 200, "reader {r}: {}", reply.text());
                    let hits =
                        if (n + r) % 2 == 0 { reply.json()["matches"].clone() } else { reply.json()["hits"].clone() };
                    assert!(hits.as_array().is_some_and(|a| !a.is_empty()), "reader {r} saw an empty result");
                    worst = worst.max(started.elapsed());
                    if writing.load(Ordering::SeqCst) {
                        count.fetch_add(1, Ordering::SeqCst);
                    }
                    n += 1;
                }
                worst
            })
        })
        .collect();
    let writers: Vec<_> = (0..2)
        .map(|w| {
            let s = s.clone();
            std::thread::spawn(move || {
                for i in 0..15 {
                    let id = format!("load-{w}-{i}");
                    let reply =
                        s.request("PUT", &format!("/api/postings/{id}"), Some(&posting(&id, "Juru Las Konkuren")));
                    assert_eq!(reply.status, 201, "writer {w}: {}", reply.text());
                    if i % 3 == 0 {
                        let reply = s.request("DELETE", &format!("/api/postings/{id}"), None);
                        assert_eq!(reply.status, 200, "writer {w}: {}", reply.text());
                    }
                }
            })
        })
        .collect();
    for w in writers {
        w.join().expect("writer");
    }
    writing.store(false, Ordering::SeqCst);
    for r in readers {
        let worst = r.join().expect("reader");
        eprintln!("slowest read: {worst:.1?}");
    }
    assert!(reads_during_writes.load(Ordering::SeqCst) > 0, "readers were served while writes went on");
    // 2 writers × 15 postings, every third deleted: 20 left, all visible.
    let stats = s.get("/api/stats").json();
    let search = s.get("/api/search?q=konkuren&kind=job&limit=100").json();
    assert_eq!(search["total"], 20, "{search}");
    assert_eq!(stats["postings"].as_u64(), Some(69 + 20), "{stats}");
}

#[test]
fn shutdown_is_graceful_for_requests_in_flight() {
    let s = Service::start();
    let addr = s.addr;
    // A plan request is the slowest: send it, then ask the server to stop while it works.
    let (sent_tx, sent_rx) = std::sync::mpsc::channel();
    let in_flight = std::thread::spawn(move || {
        let body = json!({ "text": WELDER_CV }).to_string();
        let stream = send_request(addr, "POST", "/api/plan", Some(("application/json", body.as_bytes())));
        let _ = sent_tx.send(());
        read_reply(stream)
    });
    sent_rx.recv().expect("the request was sent");
    // Time for the server to accept and read it; a debug-build plan takes longer than this.
    std::thread::sleep(Duration::from_millis(50));
    s.stop().expect("the server stops cleanly");
    let reply = in_flight.join().expect("the client thread");
    assert_eq!(reply.status, 200, "the request in flight was answered: {}", reply.text());
    assert!(TcpStream::connect(addr).is_err(), "no longer listening");
}

fn find_chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("SEPADAN_CHROMIUM") {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|p| p.is_file())
}

/// Loads `url` in headless Chromium, lets its scripts run, and returns the DOM.
fn dump_dom(chromium: &std::path::Path, url: &str) -> String {
    let profile = tempfile::tempdir().expect("a temporary browser profile");
    let mut child = std::process::Command::new(chromium)
        .args(["--headless", "--disable-gpu", "--no-first-run", "--disable-extensions", "--disable-dev-shm-usage"])
        // Root in CI containers cannot use Chromium's sandbox; the page is our own.
        .arg("--no-sandbox")
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--virtual-time-budget=10000")
        .arg("--dump-dom")
        .arg(url)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start chromium");
    let mut stdout = child.stdout.take().expect("chromium's stdout");
    let reader = std::thread::spawn(move || {
        let mut out = String::new();
        let _ = stdout.read_to_string(&mut out);
        out
    });
    let deadline = Instant::now() + Duration::from_secs(180);
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(100)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("chromium did not finish within 180 s on {url}");
            }
        }
    }
    reader.join().unwrap_or_default()
}

#[test]
fn page_in_headless_chromium_shows_matches_plan_and_blk_charts() {
    let Some(chromium) = find_chromium() else {
        assert!(
            std::env::var_os("SEPADAN_REQUIRE_CHROMIUM").is_none(),
            "SEPADAN_REQUIRE_CHROMIUM is set but no chromium was found"
        );
        // Straight to the process's stderr: the test harness captures `eprintln!` of passing
        // tests, and a skip must be seen.
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED: chromium not installed (apt-get install chromium); the page test did not run"
        );
        return;
    };
    let s = Service::start();
    let cv: String = WELDER_CV
        .bytes()
        .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect();
    let dom = dump_dom(&chromium, &s.url(&format!("/?cv={cv}")));
    assert!(dom.contains("data-seeker=\"done\""), "the profile was submitted and answered:\n{dom}");
    let matches = dom.split("id=\"matches\"").nth(1).unwrap_or("");
    assert!(matches.contains("class=\"match\"") && matches.contains("Welder SMAW 3G"), "matches shown:\n{dom}");
    assert!(matches.contains("Punya:") && matches.contains("Belum:"), "the explanation is shown:\n{dom}");
    let plan = dom.split("id=\"plan\"").nth(1).unwrap_or("");
    assert!(plan.contains("class=\"step\"") && plan.contains("Membuka"), "the plan and what it opens:\n{dom}");

    let blk = dump_dom(&chromium, &s.url("/?blk=32"));
    let report = blk.split("id=\"blk-report\"").nth(1).unwrap_or("");
    assert!(report.contains("class=\"shortage\""), "demand/supply bars:\n{blk}");
    assert!(report.matches("<svg").count() >= 2, "funnel and placement charts:\n{blk}");
}
