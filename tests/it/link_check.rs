//! `fixbook check --external` against a server on loopback: every kind of answer gives its
//! diagnostic at the link's line and column, the run ends in bounded time, a second run is
//! answered from the cache without a request, and a corrupt cache is survived.

use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::http::{Method, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::any;

use crate::support::{fixbook, stderr};

/// A web server on 127.0.0.1 with one path per kind of answer; it counts the requests.
struct Server {
    port: u16,
    requests: Arc<AtomicUsize>,
    /// The most requests it was answering at once.
    most_at_once: Arc<AtomicUsize>,
}

impl Server {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("bind: {e}"));
        let port = listener.local_addr().map_or(0, |a| a.port());
        listener
            .set_nonblocking(true)
            .unwrap_or_else(|e| panic!("{e}"));
        let requests = Arc::new(AtomicUsize::new(0));
        let busy = Arc::new(AtomicUsize::new(0));
        let flaky = Arc::new(AtomicUsize::new(0));
        let most_at_once = Arc::new(AtomicUsize::new(0));
        let at_once = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&requests);
        let most = Arc::clone(&most_at_once);
        let app = axum::Router::new()
            .route("/ok", any(|| async { "fine" }))
            .route(
                "/old",
                any(|| async { (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, "/new")]) }),
            )
            .route(
                "/elsewhere",
                any(|| async { (StatusCode::FOUND, [(header::LOCATION, "/new")]) }),
            )
            .route("/new", any(|| async { "moved here" }))
            .route("/missing", any(|| async { StatusCode::NOT_FOUND }))
            .route(
                "/flaky",
                any(move || {
                    let flaky = Arc::clone(&flaky);
                    async move {
                        if flaky.fetch_add(1, Ordering::SeqCst) == 0 {
                            StatusCode::SERVICE_UNAVAILABLE.into_response()
                        } else {
                            "back".into_response()
                        }
                    }
                }),
            )
            .route(
                "/very-busy",
                any(|| async {
                    (
                        StatusCode::TOO_MANY_REQUESTS,
                        [(header::RETRY_AFTER, "120")],
                    )
                }),
            )
            .route(
                "/loop",
                any(|| async { (StatusCode::FOUND, [(header::LOCATION, "/loop")]) }),
            )
            .route(
                "/busy",
                any(move || {
                    let busy = Arc::clone(&busy);
                    async move {
                        if busy.fetch_add(1, Ordering::SeqCst) == 0 {
                            (StatusCode::TOO_MANY_REQUESTS, [(header::RETRY_AFTER, "1")])
                                .into_response()
                        } else {
                            "ready".into_response()
                        }
                    }
                }),
            )
            .route(
                "/slow",
                any(|| async {
                    tokio::time::sleep(Duration::from_secs(5)).await;
                    "too late"
                }),
            )
            .route(
                "/no-head",
                any(|method: Method| async move {
                    if method == Method::HEAD {
                        StatusCode::METHOD_NOT_ALLOWED.into_response()
                    } else {
                        "only GET".into_response()
                    }
                }),
            )
            .layer(axum::middleware::from_fn(
                move |request: axum::extract::Request, next: axum::middleware::Next| {
                    counted.fetch_add(1, Ordering::SeqCst);
                    // A slow answer outlives the client's timeout: it is not counted as
                    // in flight.
                    let tracked = request.uri().path() != "/slow";
                    if tracked {
                        let now = at_once.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(now, Ordering::SeqCst);
                    }
                    let at_once = Arc::clone(&at_once);
                    async move {
                        let response = next.run(request).await;
                        if tracked {
                            at_once.fetch_sub(1, Ordering::SeqCst);
                        }
                        response
                    }
                },
            ));
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap_or_else(|e| panic!("runtime: {e}"));
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener)
                    .unwrap_or_else(|e| panic!("listener: {e}"));
                let _ = axum::serve(listener, app).await;
            });
        });
        Self {
            port,
            requests,
            most_at_once,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

/// A port nothing listens on: bound, then let go.
fn refused_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("bind: {e}"));
    listener.local_addr().map_or(0, |a| a.port())
}

/// `fixbook init`'s site with a one-second timeout and an article whose body is `body`.
fn site(body: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    fixbook::scaffold::init_site(dir.path(), fixbook::scaffold::today())
        .unwrap_or_else(|e| panic!("{e}"));
    let config = dir.path().join("fixbook.toml");
    let mut text = std::fs::read_to_string(&config).unwrap_or_else(|e| panic!("{e}"));
    text.push_str("\n[link_check]\ntimeout = 1\n");
    std::fs::write(&config, text).unwrap_or_else(|e| panic!("{e}"));
    let article =
        format!("---\ntitle: Where to read more\ndate: 2024-01-01\nplatforms: [mac]\n---\n{body}");
    std::fs::write(dir.path().join("content/articles/read-more.md"), article)
        .unwrap_or_else(|e| panic!("{e}"));
    dir
}

fn check_external(root: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec![
        "--root",
        root.to_str().unwrap_or_default(),
        "check",
        "--external",
    ];
    all.extend_from_slice(args);
    fixbook(&all)
}

#[test]
fn every_kind_of_answer_is_reported_at_its_link() {
    let server = Server::start();
    let refused = format!("http://127.0.0.1:{}/", refused_port());
    let body = format!(
        "See [the guide]({ok}) and [the old guide]({old}).\n\n\
         - [Gone]({missing})\n\
         - [Busy]({busy}), then <a href=\"{slow}\">slow</a>\n\
         - [No HEAD]({no_head}) and [nobody]({refused})\n\
         - [Temporarily elsewhere]({elsewhere}#part)\n",
        ok = server.url("/ok"),
        old = server.url("/old"),
        missing = server.url("/missing"),
        busy = server.url("/busy"),
        slow = server.url("/slow"),
        no_head = server.url("/no-head"),
        elsewhere = server.url("/elsewhere"),
    );
    let site = site(&body);
    let started = Instant::now();
    let output = check_external(site.path(), &[]);
    let took = started.elapsed();
    let text = stderr(&output)
        .replace(&server.port.to_string(), "PORT")
        .replace(&refused, "http://127.0.0.1:REFUSED/");
    // Columns after a link move with the length of the port number.
    let digits = server.port.to_string().len();
    let (old, slow, nobody) = (43 + digits, 40 + digits, 44 + digits);
    assert_eq!(
        text,
        format!("warning: `http://127.0.0.1:PORT/old` has moved permanently (301) to `http://127.0.0.1:PORT/new`
  --> content/articles/read-more.md:6:{old}
  = help: link to `http://127.0.0.1:PORT/new` instead

error: broken link `http://127.0.0.1:PORT/missing`: 404 Not Found
  --> content/articles/read-more.md:8:3
  = help: the page is gone: link to where it lives now, or remove the link

error: broken link `http://127.0.0.1:PORT/slow`: no answer within 1 s
  --> content/articles/read-more.md:9:{slow}
  = help: if the host is only slow, raise `timeout` under `[link_check]` in fixbook.toml, or add its address to `skip` under `[link_check]` in fixbook.toml

error: broken link `http://127.0.0.1:REFUSED/`: connection refused
  --> content/articles/read-more.md:10:{nobody}
  = help: the host could not be reached: check the address, or add its address to `skip` under `[link_check]` in fixbook.toml

checked 8 external links on 1 host: 4 ok, 3 broken, 1 moved (0 from cache)
failed: 3 error(s), 1 warning(s)
"),
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(took < Duration::from_secs(20), "took {took:?}");
    assert_eq!(
        server.most_at_once.load(Ordering::SeqCst),
        1,
        "one request at a time to one host"
    );
}

#[test]
fn transient_errors_are_retried_and_long_waits_and_loops_reported() {
    let server = Server::start();
    let body = format!(
        "[Flaky]({})\n\n[Very busy]({})\n\n[Loop]({})\n",
        server.url("/flaky"),
        server.url("/very-busy"),
        server.url("/loop"),
    );
    let site = site(&body);
    let output = check_external(site.path(), &[]);
    let text = stderr(&output).replace(&server.port.to_string(), "PORT");
    assert_eq!(
        text,
        "warning: could not check `http://127.0.0.1:PORT/very-busy`: the host asks to wait 120 s
  --> content/articles/read-more.md:8:1
  = help: it is asked again on the next run; answers already known are cached

error: broken link `http://127.0.0.1:PORT/loop`: more than 10 redirects
  --> content/articles/read-more.md:10:1
  = help: the address never leads to a page: open it in a browser to see where it goes, or add its address to `skip` under `[link_check]` in fixbook.toml

checked 3 external links on 1 host: 1 ok, 1 broken, 0 moved, 1 not checked (0 from cache)
failed: 1 error(s), 1 warning(s)
"
    );
    let cache =
        std::fs::read_to_string(site.path().join(".fixbook/cache/links.json")).unwrap_or_default();
    assert!(cache.contains("/flaky"), "{cache}");
    assert!(
        !cache.contains("/very-busy") && !cache.contains("/loop"),
        "{cache}"
    );
}

#[test]
fn the_time_limit_ends_the_run_and_reports_what_is_left() {
    let server = Server::start();
    let site = site(&format!(
        "[Slow]({})\n\n[Slow too]({})\n",
        server.url("/slow"),
        server.url("/slow?again")
    ));
    let config = site.path().join("fixbook.toml");
    let text = std::fs::read_to_string(&config).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(&config, text + "time_limit = \"1s\"\n").unwrap_or_else(|e| panic!("{e}"));
    let started = Instant::now();
    let output = check_external(site.path(), &[]);
    assert!(started.elapsed() < Duration::from_secs(10));
    let text = stderr(&output).replace(&server.port.to_string(), "PORT");
    assert!(
        text.contains(
            "warning: did not check `http://127.0.0.1:PORT/slow?again`: the check's `time_limit` of 1 s was reached\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("checked 2 external links on 1 host: 0 ok, 0 broken, 0 moved, 2 not checked (0 from cache)\n"),
        "{text}"
    );
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn annotations_point_at_the_links_line_and_broken_can_be_a_warning() {
    let server = Server::start();
    let site = site(&format!("Intro.\n\n[Gone]({})\n", server.url("/missing")));
    let config = site.path().join("fixbook.toml");
    let text = std::fs::read_to_string(&config).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(&config, text + "broken = \"warning\"\n").unwrap_or_else(|e| panic!("{e}"));
    let output = check_external(site.path(), &["--format", "github"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let first = stderr(&output)
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(
        first.replace(&server.port.to_string(), "PORT"),
        "::warning file=content/articles/read-more.md,line=8,col=1,title=fixbook warning::broken link `http://127.0.0.1:PORT/missing`: 404 Not Found%0Ahelp: the page is gone: link to where it lives now, or remove the link"
    );
    let strict = check_external(site.path(), &["--strict"]);
    assert_eq!(strict.status.code(), Some(1));
}

#[test]
fn a_second_run_is_answered_from_the_cache_and_a_corrupt_cache_is_survived() {
    let server = Server::start();
    let body = format!(
        "[ok]({}), [old]({}), [gone]({}), [busy]({}), [GET only]({}).\n",
        server.url("/ok"),
        server.url("/old"),
        server.url("/missing"),
        server.url("/busy"),
        server.url("/no-head"),
    );
    let site = site(&body);
    let summary = |output: &std::process::Output| {
        stderr(output)
            .lines()
            .find(|line| line.starts_with("checked "))
            .unwrap_or_default()
            .to_owned()
    };
    let first = check_external(site.path(), &[]);
    assert_eq!(first.status.code(), Some(1));
    assert_eq!(
        summary(&first),
        "checked 5 external links on 1 host: 3 ok, 1 broken, 1 moved (0 from cache)"
    );
    let asked = server.requests();
    assert!(asked >= 5, "{asked} requests");

    let second = check_external(site.path(), &[]);
    assert_eq!(server.requests(), asked, "the second run asks nothing");
    assert_eq!(
        summary(&second),
        "checked 5 external links on 1 host: 3 ok, 1 broken, 1 moved (5 from cache)"
    );
    assert_eq!(
        stderr(&second).replace("(5 from", "(0 from"),
        stderr(&first)
    );

    let cache = site.path().join(".fixbook/cache/links.json");
    std::fs::write(&cache, "{\"version\": 1, \"links\": {\"http://")
        .unwrap_or_else(|e| panic!("{e}"));
    let third = check_external(site.path(), &[]);
    assert_eq!(third.status.code(), Some(1));
    let text = stderr(&third);
    assert!(
        text.starts_with(
            "warning: ignored the link check cache `.fixbook/cache/links.json`: it is not valid ("
        ),
        "{text}"
    );
    assert!(
        text.contains("it is written again after this run\n"),
        "{text}"
    );
    assert!(server.requests() > asked, "asked again");
    let asked = server.requests();
    let fourth = check_external(site.path(), &[]);
    assert_eq!(server.requests(), asked, "the rewritten cache answers");
    assert_eq!(
        summary(&fourth),
        "checked 5 external links on 1 host: 3 ok, 1 broken, 1 moved (5 from cache)"
    );
}

#[test]
fn skipped_prefixes_are_never_asked() {
    let server = Server::start();
    let site = site(&format!("[gone]({})\n", server.url("/missing")));
    let config = site.path().join("fixbook.toml");
    let text = std::fs::read_to_string(&config).unwrap_or_else(|e| panic!("{e}"));
    let skip = format!("skip = [\"{}\"]\n", server.url("/"));
    std::fs::write(&config, text + &skip).unwrap_or_else(|e| panic!("{e}"));
    let output = check_external(site.path(), &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(server.requests(), 0);
    assert!(
        stderr(&output).starts_with(
            "checked 0 external links on 0 hosts: 0 ok, 0 broken, 0 moved (0 from cache); 1 skipped\n"
        ),
        "{}",
        stderr(&output)
    );
}
