//! `check --external`: asks every off-site address the content links to whether it still
//! answers, politely (a few hosts at a time, one request in flight per host, spaced out),
//! in bounded time, and remembers the definitive answers for `cache_ttl`.
//!
//! The links come from the render stage, which already knows every link a page keeps and
//! where it is written; front matter adds the article's `thumbnail`.

mod cache;
mod outcome;
mod probe;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

pub use cache::CACHE_FILE;
pub use outcome::Outcome;
use outcome::Tally;

use crate::config::Config;
use crate::content::Library;
use crate::diagnostic::Diagnostic;
use crate::render::Bodies;
use crate::render::sanitize::urls::{LinkTarget, UrlRules};

/// Hosts checked at the same time.
const WORKERS: usize = 8;
/// The least time between the starts of two requests to one host.
const HOST_DELAY: Duration = Duration::from_millis(200);

/// A link to another site, where the content writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The address as written.
    pub url: String,
    /// The content file, from the site root.
    pub path: PathBuf,
    /// Its line.
    pub line: usize,
    /// Its column.
    pub column: usize,
}

/// What a link check found.
#[derive(Debug, Default)]
pub struct LinkReport {
    /// One per link (not per address) that is broken, moved or could not be checked.
    pub diagnostics: Vec<Diagnostic>,
    /// Problems of the check itself (an unreadable cache), which are not the content's.
    pub notes: Vec<String>,
    /// `checked 42 external links on 17 hosts: 40 ok, 1 broken, 1 moved (3 from cache)`.
    pub summary: String,
}

/// Every off-site link of the content: links in bodies (Markdown and raw HTML, and
/// off-site images and media that became links) and `thumbnail`s, in content order.
pub fn collect(config: &Config, library: &Library, bodies: &Bodies) -> Vec<Link> {
    let rules = UrlRules::new(config);
    let mut links = Vec::new();
    let mut add = |path: &Path, found: &[crate::render::ExternalLink]| {
        links.extend(found.iter().map(|link| Link {
            url: link.url.clone(),
            path: path.to_path_buf(),
            line: link.line,
            column: link.column,
        }));
    };
    for (article, body) in library.articles.iter().zip(&bodies.articles) {
        if let Some(thumbnail) = &article.thumbnail
            && rules.link(&thumbnail.value) == LinkTarget::External
        {
            add(
                &article.source.path,
                &[crate::render::ExternalLink {
                    url: thumbnail.value.trim().to_owned(),
                    line: thumbnail.line,
                    column: thumbnail.column,
                }],
            );
        }
        add(&article.source.path, &body.external_links);
    }
    for (fix, body) in library.fixes.iter().zip(&bodies.fixes) {
        add(&fix.source.path, &body.external_links);
    }
    for (status, body) in library.statuses.iter().zip(&bodies.statuses) {
        add(&status.source.path, &body.external_links);
    }
    links
}

/// Checks `links` for the site at `root`, with the cache in its `.fixbook/` folder.
pub fn check(root: &Path, config: &Config, links: &[Link]) -> LinkReport {
    let settings = &config.link_check;
    let rules = UrlRules::new(config);
    let mut skipped = 0;
    // Each address once, with every place that links to it.
    let mut addresses: BTreeMap<String, Vec<&Link>> = BTreeMap::new();
    for link in links {
        let Some(mut url) = rules.resolve(&link.url) else {
            continue;
        };
        url.set_fragment(None);
        let address = url.to_string();
        let skip = |prefix: &String| link.url.starts_with(prefix) || address.starts_with(prefix);
        if settings.skip.iter().any(skip) {
            skipped += 1;
            continue;
        }
        addresses.entry(address).or_default().push(link);
    }
    let now = unix_now();
    let (mut cache, note) = cache::LinkCache::load(root, settings.cache_ttl, now);
    let mut notes: Vec<String> = note.into_iter().collect();
    let mut outcomes: BTreeMap<&str, Outcome> = BTreeMap::new();
    let mut by_host: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for address in addresses.keys() {
        match cache.get(address) {
            Some(outcome) => {
                outcomes.insert(address, outcome.clone());
            }
            None => by_host.entry(host(address)).or_default().push(address),
        }
    }
    let from_cache = outcomes.len();
    let deadline = Instant::now() + settings.time_limit;
    for (address, outcome) in run(by_host, settings.timeout, deadline) {
        cache.put(address, &outcome, now);
        outcomes.insert(address, outcome);
    }
    if let Err(err) = cache.store(root) {
        notes.push(format!(
            "could not write the link check cache `{}`: {err}",
            cache::path(root).display()
        ));
    }
    let mut diagnostics = Vec::new();
    let mut tally = BTreeMap::<&str, usize>::new();
    for (address, places) in &addresses {
        let Some(outcome) = outcomes.get(address.as_str()) else {
            continue;
        };
        *tally.entry(tally_name(outcome.tally())).or_default() += 1;
        diagnostics.extend(places.iter().filter_map(|link| {
            outcome.diagnostic(&link.url, (&link.path, link.line, link.column), settings)
        }));
    }
    let hosts: std::collections::BTreeSet<String> = addresses.keys().map(|a| host(a)).collect();
    let count = |name: &str| tally.get(name).copied().unwrap_or(0);
    let mut summary = format!(
        "checked {} external link{} on {} host{}: {} ok, {} broken, {} moved",
        addresses.len(),
        plural(addresses.len()),
        hosts.len(),
        plural(hosts.len()),
        count("ok"),
        count("broken"),
        count("moved"),
    );
    if count("unknown") > 0 {
        summary.push_str(&format!(", {} not checked", count("unknown")));
    }
    summary.push_str(&format!(" ({from_cache} from cache)"));
    if skipped > 0 {
        summary.push_str(&format!("; {skipped} skipped"));
    }
    LinkReport {
        diagnostics,
        notes,
        summary,
    }
}

fn tally_name(tally: Tally) -> &'static str {
    match tally {
        Tally::Ok => "ok",
        Tally::Broken => "broken",
        Tally::Moved => "moved",
        Tally::Unknown => "unknown",
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The host of an address, which decides how its requests are spaced.
fn host(address: &str) -> String {
    url::Url::parse(address)
        .ok()
        .and_then(|url| url.host_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Checks every address, a host per worker at a time, the hosts with most addresses first.
fn run(
    by_host: BTreeMap<String, Vec<&str>>,
    timeout: Duration,
    deadline: Instant,
) -> Vec<(&str, Outcome)> {
    let mut hosts: Vec<Vec<&str>> = by_host.into_values().collect();
    // Popped from the end: the biggest host last in the list is started first.
    hosts.sort_by_key(Vec::len);
    let workers = hosts.len().min(WORKERS);
    let queue = Mutex::new(hosts);
    let next = || queue.lock().ok().and_then(|mut hosts| hosts.pop());
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut prober = probe::Prober::new(timeout, HOST_DELAY, deadline);
                    let mut found = Vec::new();
                    while let Some(addresses) = next() {
                        prober.next_host();
                        for address in addresses {
                            let outcome = if prober.out_of_time() {
                                Outcome::NotChecked
                            } else {
                                prober.check(address)
                            };
                            found.push((address, outcome));
                        }
                    }
                    found
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| handle.join().unwrap_or_default())
            .collect()
    })
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
