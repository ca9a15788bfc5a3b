//! `fixbook serve`, driven over real HTTP on an ephemeral loopback port: pages from memory
//! under the base path, live reload after an edit, the last good site kept on a broken edit,
//! no way out of the built site, foreign Host headers refused, `/api/search`, and Ctrl-C.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::copy_fixture;

/// A running `fixbook serve` over a copy of a fixture.
pub(crate) struct Server {
    child: Child,
    addr: SocketAddr,
    site: tempfile::TempDir,
    log: Arc<Mutex<String>>,
}

/// A response, read whole.
pub(crate) struct Response {
    pub(crate) status: u16,
    pub(crate) head: String,
    pub(crate) body: Vec<u8>,
}

impl Response {
    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub(crate) fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name)
                .then(|| value.trim().to_owned())
        })
    }
}

impl Server {
    pub(crate) fn start(fixture: &str) -> Server {
        Server::start_in(copy_fixture(fixture))
    }

    /// Serves the site in `site`, which the server owns from now on.
    pub(crate) fn start_in(site: tempfile::TempDir) -> Server {
        Server::try_start(site, "0")
            .unwrap_or_else(|log| panic!("fixbook serve did not start: {log}"))
    }

    /// Serves the site in `site` on `port`; the log if it did not start.
    pub(crate) fn try_start(site: tempfile::TempDir, port: &str) -> Result<Server, String> {
        let mut child = Command::new(env!("CARGO_BIN_EXE_fixbook"))
            .args([
                "--root",
                &site.path().to_string_lossy(),
                "serve",
                "--port",
                port,
            ])
            .env_remove("GITHUB_ACTIONS")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start fixbook serve: {e}"));
        let stderr = child.stderr.take().unwrap_or_else(|| panic!("no stderr"));
        let log = Arc::new(Mutex::new(String::new()));
        let (found, address) = std::sync::mpsc::channel();
        let shared = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix("serving on http://") {
                    let _ = found.send(url.split('/').next().unwrap_or_default().to_owned());
                }
                if let Ok(mut log) = shared.lock() {
                    log.push_str(&line);
                    log.push('\n');
                }
            }
        });
        let addr = match address.recv_timeout(Duration::from_secs(120)) {
            Ok(addr) => addr.parse().unwrap_or_else(|e| panic!("{addr}: {e}")),
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                // The reader thread ends with the process; give it a moment to log.
                std::thread::sleep(Duration::from_millis(100));
                return Err(log.lock().map(|l| l.clone()).unwrap_or_default());
            }
        };
        Ok(Server {
            child,
            addr,
            site,
            log,
        })
    }

    pub(crate) fn root(&self) -> &Path {
        self.site.path()
    }

    pub(crate) fn host(&self) -> String {
        format!("127.0.0.1:{}", self.addr.port())
    }

    /// Sends `request` as written (CRLF line ends added) and reads the whole response.
    pub(crate) fn raw(&self, request: &str) -> Response {
        let mut stream = TcpStream::connect(self.addr).unwrap_or_else(|e| panic!("connect: {e}"));
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap_or_else(|e| panic!("{e}"));
        let request = request.replace('\n', "\r\n");
        stream
            .write_all(request.as_bytes())
            .unwrap_or_else(|e| panic!("write: {e}"));
        let mut bytes = Vec::new();
        stream
            .read_to_end(&mut bytes)
            .unwrap_or_else(|e| panic!("read: {e}"));
        let split = bytes
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or_else(|| panic!("no response head in {:?}", String::from_utf8_lossy(&bytes)));
        let head = String::from_utf8_lossy(&bytes[..split]).into_owned();
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("bad status line: {head}"));
        Response {
            status,
            head,
            body: bytes[split + 4..].to_vec(),
        }
    }

    pub(crate) fn request(&self, method: &str, path: &str) -> Response {
        self.raw(&format!(
            "{method} {path} HTTP/1.1\nHost: {}\nConnection: close\n\n",
            self.host()
        ))
    }

    pub(crate) fn get(&self, path: &str) -> Response {
        self.request("GET", path)
    }

    /// Opens the live-reload event stream; each `status` event arrives parsed.
    pub(crate) fn events(&self) -> Receiver<Value> {
        let mut stream = TcpStream::connect(self.addr).unwrap_or_else(|e| panic!("connect: {e}"));
        let request = format!(
            "GET /__fixbook/events HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n",
            self.host()
        );
        stream
            .write_all(request.as_bytes())
            .unwrap_or_else(|e| panic!("write: {e}"));
        let (sender, events) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            // The body is chunked; chunk sizes are lines of their own and never start
            // with `data:`, and every event is one chunk.
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if let Some(data) = line.strip_prefix("data:")
                    && let Ok(value) = serde_json::from_str::<Value>(data.trim())
                    && sender.send(value).is_err()
                {
                    return;
                }
            }
        });
        events
    }

    pub(crate) fn write(&self, rel: &str, text: &str) {
        std::fs::write(self.root().join(rel), text).unwrap_or_else(|e| panic!("{rel}: {e}"));
    }

    pub(crate) fn replace(&self, rel: &str, from: &str, to: &str) {
        let text =
            std::fs::read_to_string(self.root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
        assert!(text.contains(from), "{rel} has no {from:?}");
        self.write(rel, &text.replacen(from, to, 1));
    }

    pub(crate) fn log(&self) -> String {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The next event that satisfies `wanted`, within `limit`.
pub(crate) fn wait_for(
    events: &Receiver<Value>,
    limit: Duration,
    wanted: impl Fn(&Value) -> bool,
) -> Option<Value> {
    let deadline = Instant::now() + limit;
    loop {
        let left = deadline.checked_duration_since(Instant::now())?;
        match events.recv_timeout(left) {
            Ok(event) if wanted(&event) => return Some(event),
            Ok(_) => {}
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return None,
        }
    }
}

pub(crate) fn first_status(events: &Receiver<Value>) -> Value {
    events
        .recv_timeout(Duration::from_secs(10))
        .unwrap_or_else(|e| panic!("no first status event: {e}"))
}

#[test]
fn pages_and_assets_are_served_under_the_base_path_with_the_reload_script() {
    let server = Server::start("valid-site");
    let home = server.get("/help/");
    assert_eq!(home.status, 200, "{}", home.head);
    assert_eq!(
        home.header("content-type").as_deref(),
        Some("text/html; charset=utf-8")
    );
    assert!(
        home.text()
            .contains("<script src=\"/help/assets/live-reload.js\" defer></script>")
    );
    let script = server.get("/help/assets/live-reload.js");
    assert_eq!(script.status, 200);
    assert!(script.text().contains("/__fixbook/events"));
    let css = server.get("/help/assets/fixbook.css");
    assert_eq!(css.status, 200);
    assert_eq!(
        css.header("content-type").as_deref(),
        Some("text/css; charset=utf-8")
    );
    let article = server.get("/help/articles/printer-offline/");
    assert!(article.text().contains("Printer shows as offline"));

    let root = server.get("/");
    assert_eq!(
        (root.status, root.header("location").as_deref()),
        (308, Some("/help/"))
    );
    let slashless = server.get("/help/articles/printer-offline");
    assert_eq!(
        slashless.header("location").as_deref(),
        Some("/help/articles/printer-offline/")
    );
    let missing = server.get("/help/articles/no-such-page/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.text().contains("Page not found"),
        "the site's 404 page answers"
    );

    let head = server.request("HEAD", "/help/");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty(), "HEAD has no body");
    let post = server.request("POST", "/help/");
    assert_eq!(
        (post.status, post.header("allow").as_deref()),
        (405, Some("GET, HEAD"))
    );
}

#[test]
fn an_edit_sends_a_reload_event_and_new_content_within_two_seconds() {
    let server = Server::start("valid-site");
    let events = server.events();
    let before = first_status(&events);
    assert_eq!(before["ok"], true, "{before}");
    let started = Instant::now();
    server.replace(
        "content/articles/printer-offline.md",
        "every few seconds",
        "every minute or so",
    );
    let reload = wait_for(&events, Duration::from_secs(2), |e| {
        e["ok"] == true && e["build"] != before["build"]
    })
    .unwrap_or_else(|| panic!("no reload event within 2 s; log:\n{}", server.log()));
    let changed: Vec<&str> = reload["changed"]
        .as_array()
        .map(|list| list.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    assert_eq!(changed, ["/help/articles/printer-offline/"]);
    assert!(
        server
            .get("/help/articles/printer-offline/")
            .text()
            .contains("every minute or so")
    );
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[test]
fn a_broken_edit_keeps_the_last_good_page_and_exposes_the_diagnostics() {
    let server = Server::start("valid-site");
    let events = server.events();
    first_status(&events);
    server.replace(
        "content/articles/printer-offline.md",
        "fixes: [reinstall-driver",
        "fixes: [reinstal-driver",
    );
    let failed = wait_for(&events, Duration::from_secs(5), |e| e["ok"] == false)
        .unwrap_or_else(|| panic!("no failure event; log:\n{}", server.log()));
    let diagnostic = &failed["diagnostics"][0];
    assert_eq!(diagnostic["message"], "unknown fix `reinstal-driver`");
    assert_eq!(diagnostic["path"], "content/articles/printer-offline.md");
    assert_eq!(diagnostic["hint"], "did you mean `reinstall-driver`?");

    let page = server.get("/help/articles/printer-offline/");
    assert_eq!(page.status, 200);
    assert!(
        page.text().contains("Reinstall the printer driver"),
        "the last good page stays"
    );
    let status: Value = serde_json::from_slice(&server.get("/__fixbook/status").body)
        .unwrap_or_else(|e| panic!("status JSON: {e}"));
    assert_eq!(status["ok"], false);
    assert_eq!(status["diagnostics"][0]["line"], diagnostic["line"]);

    server.replace(
        "content/articles/printer-offline.md",
        "reinstal-driver",
        "reinstall-driver",
    );
    wait_for(&events, Duration::from_secs(5), |e| e["ok"] == true).unwrap_or_else(|| {
        panic!(
            "fixing the file does not clear the failure; log:\n{}",
            server.log()
        )
    });
}

#[test]
fn requests_never_reach_a_file_outside_the_built_site() {
    let server = Server::start("valid-site");
    let host = server.host();
    for target in [
        "/../Cargo.toml".to_owned(),
        "/help/../fixbook.toml".to_owned(),
        "/help/%2e%2e/fixbook.toml".to_owned(),
        "/help/%2e%2e%2f%2e%2e%2fCargo.toml".to_owned(),
        "/help/articles/..%2f..%2ffixbook.toml".to_owned(),
        "/help/..%5c..%5cfixbook.toml".to_owned(),
        "//etc/passwd".to_owned(),
        "/etc/passwd".to_owned(),
        format!("/{}/fixbook.toml", server.root().display()),
        format!("http://{host}/help/../../fixbook.toml"),
    ] {
        let response = server.raw(&format!(
            "GET {target} HTTP/1.1\nHost: {host}\nConnection: close\n\n"
        ));
        assert!(
            matches!(response.status, 400 | 404 | 308),
            "{target}: {}",
            response.head
        );
        let text = response.text();
        assert!(
            !text.contains("base_url") && !text.contains("[package]") && !text.contains("root:"),
            "{target} leaked a file: {text}"
        );
    }
}

#[test]
fn a_foreign_host_header_is_refused() {
    let server = Server::start("valid-site");
    let port = server.addr.port();
    for host in [
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        "localhost".to_owned(),
    ] {
        let response = server.raw(&format!(
            "GET /help/ HTTP/1.1\nHost: {host}\nConnection: close\n\n"
        ));
        assert_eq!(response.status, 403, "{host}");
        assert!(!response.text().contains("<html"), "{host}");
    }
    for host in [
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
        format!("127.0.0.1:{port}"),
    ] {
        let response = server.raw(&format!(
            "GET /help/ HTTP/1.1\nHost: {host}\nConnection: close\n\n"
        ));
        assert_eq!(response.status, 200, "{host}");
    }
}

#[test]
fn search_api_answers_with_the_matching_page_as_json() {
    let server = Server::start("valid-site");
    let deadline = Instant::now() + Duration::from_secs(60);
    let answer = loop {
        let response = server.get("/help/api/search?q=paper%20jm&limit=5");
        if response.status != 503 || Instant::now() > deadline {
            break response;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(answer.status, 200, "{}", answer.text());
    assert_eq!(
        answer.header("content-type").as_deref(),
        Some("application/json")
    );
    let json: Value = serde_json::from_slice(&answer.body).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(json["hits"][0]["url"], "/status/paper-jam/", "{json}");
    let filtered: Value =
        serde_json::from_slice(&server.get("/api/search?q=printer&platform=mac").body)
            .unwrap_or_else(|e| panic!("{e}"));
    let urls: Vec<&str> = filtered["hits"]
        .as_array()
        .map(|hits| hits.iter().filter_map(|h| h["url"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        !urls.is_empty() && !urls.contains(&"/articles/paper-jam-keeps-coming-back/"),
        "{urls:?}"
    );
}

#[test]
fn ctrl_c_stops_the_server_cleanly_even_with_a_page_listening() {
    let mut server = Server::start("valid-site");
    let events = server.events();
    first_status(&events);
    let killed = Command::new("kill")
        .args(["-INT", &server.child.id().to_string()])
        .status()
        .unwrap_or_else(|e| panic!("kill: {e}"));
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap_or_else(|e| panic!("{e}")) {
            break status;
        }
        assert!(Instant::now() < deadline, "still running 10 s after Ctrl-C");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status}; log:\n{}", server.log());
}

/// Polls a condition in the page; a reload in the middle of an evaluation only delays it.
fn eventually(page: &crate::browser::Page, condition: &str, limit: Duration) -> bool {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        let value = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| page.eval(condition)));
        if matches!(value, Ok(Value::Bool(true))) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    false
}

#[test]
fn an_open_page_reloads_after_an_edit_and_shows_a_broken_build_over_itself() {
    let server = Server::start("valid-site");
    let browser = crate::browser::Browser::launch();
    let page = browser.page();
    page.goto(&format!(
        "http://{}/help/articles/printer-offline/",
        server.host()
    ));
    assert!(eventually(
        &page,
        "typeof EventSource === 'function'",
        Duration::from_secs(5)
    ));
    page.eval("window.__notReloaded = true");
    // Let the page connect to the event stream before editing.
    std::thread::sleep(Duration::from_millis(300));

    server.replace(
        "content/articles/printer-offline.md",
        "every few seconds",
        "every minute or so",
    );
    assert!(
        eventually(
            &page,
            "document.body.textContent.includes('every minute or so') && window.__notReloaded === undefined",
            Duration::from_secs(10)
        ),
        "the page did not reload with the new text; log:\n{}",
        server.log()
    );

    server.replace(
        "content/articles/printer-offline.md",
        "fixes: [reinstall-driver",
        "fixes: [reinstal-driver",
    );
    assert!(
        eventually(
            &page,
            "(document.querySelector('[data-fixbook-overlay]') || {textContent: ''}).textContent.includes('unknown fix `reinstal-driver`')",
            Duration::from_secs(10)
        ),
        "no overlay with the diagnostic; log:\n{}",
        server.log()
    );
    assert_eq!(
        page.eval("document.body.textContent.includes('Reinstall the printer driver')"),
        Value::Bool(true),
        "the last good page stays under the overlay"
    );
    assert_eq!(
        page.eval("getComputedStyle(document.querySelector('[data-fixbook-overlay]')).position"),
        Value::String("fixed".into()),
        "the overlay is styled through the CSSOM despite the CSP"
    );

    server.replace(
        "content/articles/printer-offline.md",
        "reinstal-driver",
        "reinstall-driver",
    );
    assert!(
        eventually(
            &page,
            "document.querySelector('[data-fixbook-overlay]') === null",
            Duration::from_secs(10)
        ),
        "fixing the file does not clear the overlay; log:\n{}",
        server.log()
    );
    assert_eq!(
        page.eval("window.__cspViolations"),
        serde_json::json!([]),
        "no CSP violation after the reloads"
    );
    let recorded = page.take();
    assert!(
        recorded.csp_violations.is_empty(),
        "{:?}",
        recorded.csp_violations
    );
    assert!(recorded.exceptions.is_empty(), "{:?}", recorded.exceptions);
    let origin = format!("http://{}", server.host());
    let foreign: Vec<&String> = recorded
        .requests
        .iter()
        .filter(|url| !url.starts_with(&origin) && !url.starts_with("data:"))
        .collect();
    assert!(foreign.is_empty(), "requests outside the site: {foreign:?}");
}

#[test]
fn a_config_edit_rebuilds_everything_and_a_broken_config_is_reported_until_fixed() {
    let server = Server::start("valid-site");
    let events = server.events();
    let first = first_status(&events);
    server.replace(
        "fixbook.toml",
        "title = \"Printer Help\"",
        "title = \"Printer Desk\"",
    );
    let rebuilt = wait_for(&events, Duration::from_secs(10), |e| {
        e["ok"] == true && e["build"] != first["build"]
    })
    .unwrap_or_else(|| panic!("no rebuild after a config edit; log:\n{}", server.log()));
    let listed = |url: &str| {
        rebuilt["changed"]
            .as_array()
            .is_some_and(|list| list.contains(&Value::from(url)))
    };
    let every_page = rebuilt["changed"].is_null()
        || [
            "/help/",
            "/help/articles/printer-offline/",
            "/help/status/offline/",
        ]
        .into_iter()
        .all(listed);
    assert!(every_page, "every page changes: {rebuilt}");
    assert!(server.get("/help/").text().contains("Printer Desk"));

    server.replace("fixbook.toml", "title = \"Printer Desk\"", "title = ");
    let failed = wait_for(&events, Duration::from_secs(10), |e| e["ok"] == false)
        .unwrap_or_else(|| panic!("no failure for a broken config; log:\n{}", server.log()));
    assert_eq!(failed["diagnostics"][0]["path"], "fixbook.toml", "{failed}");
    assert!(
        server.get("/help/").text().contains("Printer Desk"),
        "the last good site stays"
    );

    server.replace("fixbook.toml", "title = ", "title = \"Printer Help\"");
    wait_for(&events, Duration::from_secs(10), |e| e["ok"] == true)
        .unwrap_or_else(|| panic!("fixing the config does not recover; log:\n{}", server.log()));
    assert!(server.get("/help/").text().contains("Printer Help"));
}
