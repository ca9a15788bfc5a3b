//! The HTTP side of `fixbook serve`: the site from memory, the reload event stream, the
//! build status and `/api/search`, behind a Host check and a GET/HEAD-only gate.

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Query, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::Stream;
use tokio::sync::watch;
use tower_http::set_header::SetResponseHeaderLayer;

use super::snapshot::Snapshot;
use crate::search::{self, SearchHit};

/// How long a client may take to send a request's head, and how long a kept-alive
/// connection may sit idle before its next request: a connection that sends nothing is
/// closed after this long instead of holding a task and a socket.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// How long the server waits, once stopped, for open responses to finish.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

/// How long `/api/search` waits for the first index before it answers that it is not ready.
const SEARCH_WAIT: Duration = Duration::from_secs(15);

/// Serves `router` on `listener` until `stop` completes. Each connection is HTTP/1 with
/// [`HEADER_READ_TIMEOUT`]; once stopped, open connections get [`SHUTDOWN_GRACE`] to end.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    stop: impl std::future::Future<Output = ()>,
) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut stop = std::pin::pin!(stop);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else {
                    // Out of file descriptors, say: wait a moment rather than spin.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                };
                let service = hyper_util::service::TowerToHyperService::new(router.clone());
                let mut builder = hyper::server::conn::http1::Builder::new();
                builder
                    .timer(TokioTimer::new())
                    .header_read_timeout(HEADER_READ_TIMEOUT);
                let connection = builder.serve_connection(TokioIo::new(stream), service);
                let connection = graceful.watch(connection);
                tokio::spawn(async move {
                    // A client that goes away or times out ends its connection: nothing to do.
                    let _ = connection.await;
                });
            }
            () = &mut stop => break,
        }
    }
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown()).await;
}

/// The live-reload script, also served by the server itself for pages it generates.
const LIVE_RELOAD_JS: &str = include_str!("../../templates/assets/live-reload.js");

/// What every handler shares.
#[derive(Clone)]
pub struct App {
    /// The current site and build status.
    pub snapshot: watch::Receiver<Arc<Snapshot>>,
    /// Becomes true when the server shuts down, to end the event streams.
    pub shutdown: watch::Receiver<bool>,
    /// The address the server listens on.
    pub addr: SocketAddr,
}

/// The routes, with the Host and method checks in front of all of them.
pub fn router(app: App) -> Router {
    Router::new()
        .route("/__fixbook/events", get(events))
        .route("/__fixbook/status", get(status))
        .route("/__fixbook/live-reload.js", get(live_reload_js))
        .route("/api/search", get(api_search))
        .fallback(site_file)
        .layer(middleware::from_fn_with_state(app.clone(), gate))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .with_state(app)
}

/// Only GET and HEAD, and only for this server's own names: a page on another site that
/// points a DNS name at 127.0.0.1 (DNS rebinding) gets refused.
async fn gate(State(app): State<App>, request: Request, next: Next) -> Response {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
            "fixbook serve only answers GET and HEAD requests\n",
        )
            .into_response();
    }
    if request.headers().get_all(header::HOST).iter().count() > 1 {
        return (
            StatusCode::BAD_REQUEST,
            "a request names one host: this one has more than one Host header\n",
        )
            .into_response();
    }
    let host = request
        .uri()
        .authority()
        .map(|a| a.as_str().to_owned())
        .or_else(|| {
            request
                .headers()
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .map(str::to_owned)
        });
    match host {
        Some(host) if host_allowed(&host, app.addr) => next.run(request).await,
        _ => (
            StatusCode::FORBIDDEN,
            format!(
                "fixbook serve answers requests for http://localhost:{0}/ or http://{1}/ only\n",
                app.addr.port(),
                app.addr
            ),
        )
            .into_response(),
    }
}

/// Whether a Host header names this server: `localhost`, a loopback address or the address
/// it is bound to, with its port (which browsers leave out for port 80). Bound to all
/// interfaces, any IP address is allowed too: DNS rebinding needs a DNS name, and the names
/// a LAN knows the machine by cannot be listed.
pub fn host_allowed(host: &str, addr: SocketAddr) -> bool {
    let host = host.to_ascii_lowercase();
    // `[::1]:8080`, `[::1]`, `localhost:8080`, `localhost`: a colon after the last `]`
    // starts the port.
    let (name, port) = match host.rfind(':') {
        Some(colon) if colon > host.rfind(']').unwrap_or(0) || !host.starts_with('[') => {
            (&host[..colon], Some(&host[colon + 1..]))
        }
        _ => (host.as_str(), None),
    };
    let port = match port {
        Some(port) => port.parse::<u16>().ok(),
        None => Some(80),
    };
    if port != Some(addr.port()) {
        return false;
    }
    let ip = name
        .strip_prefix('[')
        .and_then(|n| n.strip_suffix(']'))
        .unwrap_or(name)
        .parse::<IpAddr>()
        .ok();
    match ip {
        None => name == "localhost",
        Some(ip) => ip.is_loopback() || ip == addr.ip() || addr.ip().is_unspecified(),
    }
}

/// Where a request path leads in the built site.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// The output file at this path.
    File(String),
    /// The page lives one slash further (`/help` → `/help/`).
    Redirect(String),
    /// Nothing: the site's 404 page answers.
    NotFound,
}

/// Maps a request path (still percent-encoded) to an output path under `base_path`, the
/// way static hosts do: `/base/x/` → `x/index.html`. Nothing outside the output can be
/// named: the output is a map of paths, and `.`/`..` segments are refused before lookup.
pub fn resolve(exists: impl Fn(&str) -> bool, base_path: &str, raw_path: &str) -> Target {
    let Ok(path) = percent_encoding::percent_decode_str(raw_path).decode_utf8() else {
        return Target::NotFound;
    };
    let Some(rel) = path.strip_prefix(base_path) else {
        return if base_path.strip_suffix('/') == Some(&*path) || path == "/" {
            Target::Redirect(base_path.to_owned())
        } else {
            Target::NotFound
        };
    };
    let unsafe_segment =
        |segment: &str| segment == "." || segment == ".." || segment.contains(['\\', '\0']);
    if rel.starts_with('/') || rel.contains("//") || rel.split('/').any(unsafe_segment) {
        return Target::NotFound;
    }
    if rel.is_empty() || rel.ends_with('/') {
        let index = format!("{rel}index.html");
        return if exists(&index) {
            Target::File(index)
        } else {
            Target::NotFound
        };
    }
    if exists(rel) {
        Target::File(rel.to_owned())
    } else if exists(&format!("{rel}/index.html")) {
        Target::Redirect(format!("{raw_path}/"))
    } else {
        Target::NotFound
    }
}

async fn site_file(State(app): State<App>, uri: Uri) -> Response {
    let snapshot = app.snapshot.borrow().clone();
    // The site's search script asks `<base path>api/search`.
    if uri.path().strip_prefix(snapshot.base_path.as_str()) == Some("api/search") {
        return api_search(State(app), uri).await;
    }
    if snapshot.generation == 0 {
        return not_built_yet();
    }
    // An old address answers as real hosts do with the redirect files: a 301 straight to
    // the page (the build's redirect page there is for hosts without redirects).
    if let Some(location) = snapshot.moved(uri.path()) {
        return (
            StatusCode::MOVED_PERMANENTLY,
            [(header::LOCATION, location.to_owned())],
        )
            .into_response();
    }
    match resolve(
        |p| snapshot.file(p).is_some(),
        &snapshot.base_path,
        uri.path(),
    ) {
        Target::File(path) => match snapshot.file(&path) {
            Some(bytes) => file_response(StatusCode::OK, &path, bytes),
            None => StatusCode::NOT_FOUND.into_response(),
        },
        Target::Redirect(location) => (
            StatusCode::PERMANENT_REDIRECT,
            [(header::LOCATION, location)],
        )
            .into_response(),
        Target::NotFound => match snapshot.file("404.html") {
            Some(bytes) => file_response(StatusCode::NOT_FOUND, "404.html", bytes),
            None => (StatusCode::NOT_FOUND, "not found\n").into_response(),
        },
    }
}

fn file_response(status: StatusCode, path: &str, bytes: bytes::Bytes) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, content_type(path))],
        Body::from(bytes),
    )
        .into_response()
}

/// Until the site has built once, every page is this one: it shows the build errors and
/// reloads when the site builds.
fn not_built_yet() -> Response {
    let html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>fixbook serve: not built yet</title>\n<script src=\"/__fixbook/live-reload.js\" defer></script>\n</head>\n<body>\n<h1>The site has not built yet</h1>\n<p>Fix the problems shown on this page (also printed where <code>fixbook serve</code> runs); it reloads as soon as the site builds.</p>\n</body>\n</html>\n";
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        html,
    )
        .into_response()
}

fn content_type(path: &str) -> &'static str {
    let extension = path.rsplit_once('.').map_or("", |(_, e)| e);
    match extension {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "xml" if path.ends_with("atom.xml") => "application/atom+xml",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

async fn live_reload_js() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        LIVE_RELOAD_JS,
    )
        .into_response()
}

async fn status(State(app): State<App>) -> Response {
    let snapshot = app.snapshot.borrow().clone();
    (
        [(header::CONTENT_TYPE, "application/json")],
        snapshot.status_json.to_string(),
    )
        .into_response()
}

/// The build status now, then after every rebuild, until the server stops.
async fn events(State(app): State<App>) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let mut snapshots = app.snapshot.clone();
    snapshots.mark_changed();
    let stream = futures_util::stream::unfold(
        (snapshots, app.shutdown.clone(), None::<Arc<str>>),
        |(mut snapshots, mut shutdown, mut sent)| async move {
            loop {
                if *shutdown.borrow() {
                    return None;
                }
                tokio::select! {
                    changed = snapshots.changed() => changed.ok()?,
                    _ = shutdown.changed() => return None,
                }
                let json = Arc::clone(&snapshots.borrow_and_update().status_json);
                // A new search index changes the snapshot but not the build status.
                if sent.as_ref().is_some_and(|s| Arc::ptr_eq(s, &json)) {
                    continue;
                }
                sent = Some(Arc::clone(&json));
                let event = Event::default().event("status").data(&*json);
                return Some((Ok(event), (snapshots, shutdown, sent)));
            }
        },
    );
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

/// `GET /api/search?q=…&platform=…&limit=…&lang=…`.
#[derive(Debug, serde::Deserialize)]
struct SearchParams {
    #[serde(default)]
    q: String,
    platform: Option<String>,
    limit: Option<usize>,
    /// The language whose pages to search (the default language's when not given).
    lang: Option<String>,
}

/// The most results one request returns.
const MAX_LIMIT: usize = 100;

/// The search engine; right after the server starts, the first one is still being built,
/// and a reader's first search waits for it (up to [`SEARCH_WAIT`]) rather than failing.
async fn first_search_engine(
    mut snapshots: watch::Receiver<Arc<Snapshot>>,
) -> Option<Arc<super::snapshot::SearchEngine>> {
    let waited = tokio::time::timeout(
        SEARCH_WAIT,
        snapshots.wait_for(|snapshot| snapshot.search.is_some()),
    )
    .await
    .ok()
    .and_then(Result::ok)
    .and_then(|snapshot| snapshot.search.clone());
    waited.or_else(|| snapshots.borrow().search.clone())
}

async fn api_search(State(app): State<App>, uri: Uri) -> Response {
    let Ok(Query(params)) = Query::<SearchParams>::try_from_uri(&uri) else {
        return (
            StatusCode::BAD_REQUEST,
            axum::Json(serde_json::json!({"error": "expected ?q=…&platform=…&limit=N"})),
        )
            .into_response();
    };
    let Some(engine) = first_search_engine(app.snapshot.clone()).await else {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::RETRY_AFTER, "1")],
            axum::Json(serde_json::json!({"error": "the search index is still being built"})),
        )
            .into_response();
    };
    let lang = params.lang.filter(|l| !l.is_empty());
    if let Some(code) = &lang
        && !engine.languages.contains_key(code)
        && engine.language != *code
    {
        let known: Vec<&String> = engine.languages.keys().collect();
        return (
            StatusCode::BAD_REQUEST,
            axum::Json(serde_json::json!({
                "error": format!("the site has no language `{code}`"),
                "languages": known,
            })),
        )
            .into_response();
    }
    let limit = params.limit.unwrap_or(10).min(MAX_LIMIT);
    let platform = params.platform.filter(|p| !p.is_empty());
    let query = params.q;
    let found = tokio::task::spawn_blocking(move || {
        let engine = lang
            .as_ref()
            .and_then(|code| engine.languages.get(code))
            .unwrap_or(&engine);
        search::search_answer(
            &engine.index,
            &engine.lookup,
            &query,
            platform.as_deref(),
            limit,
        )
        .map(|answer| (query, answer))
    })
    .await;
    match found {
        Ok(Ok((query, answer))) => axum::Json(SearchAnswer {
            query,
            hits: answer.hits,
            corrected: answer.corrected,
        })
        .into_response(),
        Ok(Err(err)) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            axum::Json(serde_json::json!({"error": err.to_string()})),
        )
            .into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

#[derive(serde::Serialize)]
struct SearchAnswer {
    query: String,
    hits: Vec<SearchHit>,
    /// The query with its misspelled words corrected, or null.
    corrected: Option<String>,
}

#[cfg(test)]
mod tests;
