//! A real headless Chromium against a built site on a loopback server: a harness other
//! browser tests reuse. [`serve_dir`] serves a folder on `127.0.0.1`, [`Browser::launch`]
//! starts Chromium with a fresh profile, and a [`Page`] records every network request,
//! console message, uncaught exception and Content-Security-Policy violation.
//!
//! Chromium is required: without it these tests fail (they never pass silently), naming the
//! packages to install.

use std::io::{BufRead as _, BufReader, Write as _};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use headless_chrome::protocol::cdp::types::Event;
use headless_chrome::protocol::cdp::{Browser as BrowserDomain, Emulation, Network, Page as Cdp};
use headless_chrome::{LaunchOptions, Tab};

/// Where Debian installs Chromium; `CHROMIUM` overrides it.
const CHROMIUM: &str = "/usr/bin/chromium";

/// A static file server on a loopback port; stops when dropped.
pub struct Server {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    /// `http://127.0.0.1:PORT` — the origin every request of a page should go to.
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so that it sees the flag.
        let _ = TcpStream::connect(self.addr);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Serves `root` over HTTP on `127.0.0.1:0`, like a plain static host: `/dir/` serves
/// `dir/index.html`, unknown paths get `404.html` with status 404.
pub fn serve_dir(root: &Path) -> (SocketAddr, Server) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("bind: {e}"));
    let addr = listener
        .local_addr()
        .unwrap_or_else(|e| panic!("local_addr: {e}"));
    let stop = Arc::new(AtomicBool::new(false));
    let root = root.to_path_buf();
    let flag = Arc::clone(&stop);
    let thread = std::thread::spawn(move || {
        for stream in listener.incoming() {
            if flag.load(Ordering::SeqCst) {
                break;
            }
            if let Ok(stream) = stream {
                let root = root.clone();
                std::thread::spawn(move || {
                    let _ = respond(&root, stream);
                });
            }
        }
    });
    (
        addr,
        Server {
            addr,
            stop,
            thread: Some(thread),
        },
    )
}

/// Answers one request and closes the connection.
fn respond(root: &Path, mut stream: TcpStream) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header.trim().is_empty() {
            break;
        }
    }
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or_default();
    let target = parts.next().unwrap_or("/");
    let (status, path) = match resolve(root, target) {
        Some(path) if method == "GET" || method == "HEAD" => ("200 OK", path),
        _ => ("404 Not Found", root.join("404.html")),
    };
    let body = std::fs::read(&path).unwrap_or_default();
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        content_type(&path),
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    if method != "HEAD" {
        stream.write_all(&body)?;
    }
    stream.flush()
}

/// The file a URL path names, if it exists inside `root`.
fn resolve(root: &Path, target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let decoded = percent_decode(path)?;
    let relative = Path::new(decoded.trim_start_matches('/'));
    if relative
        .components()
        .any(|c| !matches!(c, Component::Normal(_)))
    {
        return None;
    }
    let mut file = root.join(relative);
    if file.is_dir() {
        file.push("index.html");
    }
    file.is_file().then_some(file)
}

fn percent_decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
    {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "webp" => "image/webp",
        "jpg" | "jpeg" => "image/jpeg",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

/// A headless Chromium with a fresh, throw-away profile.
pub struct Browser {
    browser: headless_chrome::Browser,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts Chromium, or fails the test saying how to install it.
    pub fn launch() -> Browser {
        let path =
            std::env::var_os("CHROMIUM").map_or_else(|| PathBuf::from(CHROMIUM), PathBuf::from);
        assert!(
            path.is_file(),
            "headless Chromium is not installed at {}: run `apt-get install chromium chromium-driver` (CI installs them), or set CHROMIUM to its path",
            path.display()
        );
        let profile = tempfile::tempdir().unwrap_or_else(|e| panic!("profile dir: {e}"));
        let args: Vec<&std::ffi::OsStr> = [
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-gpu",
            "--disable-features=MediaRouter,OptimizationHints,Translate",
        ]
        .iter()
        .map(std::ffi::OsStr::new)
        .collect();
        let options = LaunchOptions {
            headless: true,
            sandbox: false,
            enable_gpu: false,
            path: Some(path),
            user_data_dir: Some(profile.path().to_path_buf()),
            window_size: Some((1280, 900)),
            idle_browser_timeout: Duration::from_secs(120),
            args,
            ..LaunchOptions::default()
        };
        let browser = headless_chrome::Browser::new(options)
            .unwrap_or_else(|e| panic!("cannot start Chromium: {e}"));
        Browser {
            browser,
            _profile: profile,
        }
    }

    /// A new tab that records what its pages do.
    pub fn page(&self) -> Page {
        let tab = self
            .browser
            .new_tab()
            .unwrap_or_else(|e| panic!("new tab: {e}"));
        let recorded = Arc::new(Mutex::new(Recorded::default()));
        let sink = Arc::clone(&recorded);
        let listener = move |event: &Event| {
            let mut log = sink.lock().unwrap_or_else(|p| p.into_inner());
            match event {
                Event::NetworkRequestWillBeSent(e) => {
                    log.requests.push(e.params.request.url.clone())
                }
                Event::RuntimeConsoleAPICalled(e) => {
                    let text: Vec<String> = e
                        .params
                        .args
                        .iter()
                        .map(|a| {
                            a.value.as_ref().map_or_else(
                                || a.description.clone().unwrap_or_default(),
                                |v| v.to_string(),
                            )
                        })
                        .collect();
                    log.console
                        .push(format!("{:?}: {}", e.params.Type, text.join(" ")));
                }
                Event::LogEntryAdded(e) => log.console.push(format!(
                    "{:?} {:?}: {} {}",
                    e.params.entry.level,
                    e.params.entry.source,
                    e.params.entry.text,
                    e.params.entry.url.clone().unwrap_or_default()
                )),
                Event::RuntimeExceptionThrown(e) => log.exceptions.push(format!(
                    "{} {}",
                    e.params.exception_details.text,
                    e.params
                        .exception_details
                        .exception
                        .as_ref()
                        .and_then(|x| x.description.clone())
                        .unwrap_or_default()
                )),
                _ => {}
            }
        };
        tab.add_event_listener(Arc::new(listener))
            .unwrap_or_else(|e| panic!("listener: {e}"));
        tab.call_method(Network::Enable {
            max_total_buffer_size: None,
            max_resource_buffer_size: None,
            max_post_data_size: None,
            report_direct_socket_traffic: None,
            enable_durable_messages: None,
        })
        .unwrap_or_else(|e| panic!("Network.enable: {e}"));
        tab.enable_log()
            .unwrap_or_else(|e| panic!("Log.enable: {e}"));
        tab.enable_runtime()
            .unwrap_or_else(|e| panic!("Runtime.enable: {e}"));
        // Runs before any page script, outside the page's CSP.
        tab.call_method(Cdp::AddScriptToEvaluateOnNewDocument {
            source: "window.__cspViolations = []; document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(e.violatedDirective + ' blocked ' + e.blockedURI + ' at ' + e.sourceFile + ':' + e.lineNumber));".to_owned(),
            world_name: None,
            include_command_line_api: None,
            run_immediately: None,
        })
        .unwrap_or_else(|e| panic!("addScriptToEvaluateOnNewDocument: {e}"));
        Page { tab, recorded }
    }
}

/// What one tab saw, in order.
#[derive(Debug, Clone, Default)]
pub struct Recorded {
    /// The URL of every network request.
    pub requests: Vec<String>,
    /// Console API calls and browser log entries (including CSP reports).
    pub console: Vec<String>,
    /// Uncaught exceptions.
    pub exceptions: Vec<String>,
    /// `securitypolicyviolation` events seen by the pages.
    pub csp_violations: Vec<String>,
}

/// A browser tab.
pub struct Page {
    tab: Arc<Tab>,
    recorded: Arc<Mutex<Recorded>>,
}

impl Page {
    /// Loads `url` and waits until the page and its subresources have loaded.
    pub fn goto(&self, url: &str) {
        self.tab
            .navigate_to(url)
            .and_then(|tab| tab.wait_until_navigated())
            .unwrap_or_else(|e| panic!("navigate to {url}: {e}"));
        self.wait_for("document.readyState === 'complete'");
        self.collect_csp_violations();
    }

    /// Resizes the window, so that the page lays out `width` CSS pixels wide.
    pub fn set_width(&self, width: u32, height: u32) {
        self.tab
            .set_bounds(headless_chrome::types::Bounds::Normal {
                left: None,
                top: None,
                width: Some(f64::from(width)),
                height: Some(f64::from(height)),
            })
            .unwrap_or_else(|e| panic!("resize to {width}: {e}"));
    }

    /// Polls a JavaScript condition for up to ten seconds.
    pub fn wait_for(&self, condition: &str) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if self.eval(condition) == serde_json::Value::Bool(true) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("timed out waiting for `{condition}`");
    }

    /// Evaluates a JavaScript expression and returns its value as JSON.
    pub fn eval(&self, expression: &str) -> serde_json::Value {
        let wrapped = format!("JSON.stringify((() => ({expression}))())");
        let result = self
            .tab
            .evaluate(&wrapped, true)
            .unwrap_or_else(|e| panic!("evaluate `{expression}`: {e}"));
        result
            .value
            .and_then(|v| v.as_str().and_then(|s| serde_json::from_str(s).ok()))
            .unwrap_or(serde_json::Value::Null)
    }

    fn collect_csp_violations(&self) {
        // Violation events are queued as tasks: let them run before reading.
        std::thread::sleep(Duration::from_millis(50));
        if let serde_json::Value::Array(found) = self.eval("window.__cspViolations || []") {
            let mut log = self.recorded.lock().unwrap_or_else(|p| p.into_inner());
            log.csp_violations.extend(
                found
                    .into_iter()
                    .map(|v| v.as_str().unwrap_or_default().to_owned()),
            );
        }
    }

    /// Everything recorded so far; the record is emptied.
    pub fn take(&self) -> Recorded {
        std::mem::take(&mut *self.recorded.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// Turns the pages' own scripts off, as for a reader without JavaScript; DevTools can
    /// still evaluate expressions and click.
    pub fn disable_scripts(&self) {
        self.tab
            .call_method(Emulation::SetScriptExecutionDisabled { value: true })
            .unwrap_or_else(|e| panic!("Emulation.setScriptExecutionDisabled: {e}"));
    }

    /// Lets the pages of `origin` write and read the clipboard.
    pub fn grant_clipboard(&self, origin: &str) {
        self.tab
            .call_method(BrowserDomain::GrantPermissions {
                permissions: vec![
                    BrowserDomain::PermissionType::ClipboardReadWrite,
                    BrowserDomain::PermissionType::ClipboardSanitizedWrite,
                ],
                origin: Some(origin.to_owned()),
                browser_context_id: None,
            })
            .unwrap_or_else(|e| panic!("Browser.grantPermissions: {e}"));
    }

    /// Clicks the element `selector` names as a reader would: a mouse click where it is
    /// drawn (which also works with scripts off), failing for an element that is not shown.
    pub fn click(&self, selector: &str) {
        let quoted = serde_json::to_string(selector).unwrap_or_default();
        let at = self.eval(&format!(
            "(() => {{ const el = document.querySelector({quoted}); if (!el) return null; el.scrollIntoView({{block: 'center'}}); const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0 ? [r.x + r.width / 2, r.y + r.height / 2] : null; }})()"
        ));
        let point = at
            .as_array()
            .and_then(|xy| Some((xy.first()?.as_f64()?, xy.get(1)?.as_f64()?)))
            .unwrap_or_else(|| panic!("click {selector}: no such element is shown"));
        self.tab
            .click_point(headless_chrome::browser::tab::point::Point {
                x: point.0,
                y: point.1,
            })
            .unwrap_or_else(|e| panic!("click {selector}: {e}"));
    }

    /// A PNG screenshot of the viewport.
    pub fn screenshot(&self) -> Vec<u8> {
        self.tab
            .capture_screenshot(Cdp::CaptureScreenshotFormatOption::Png, None, None, true)
            .unwrap_or_else(|e| panic!("screenshot: {e}"))
    }
}
