//! Search quality on the shipped knowledge base, measured on a fixed query set: status
//! messages (exact, lower-cased, misspelled) land on their page first; readers' own words
//! find the right problem or fix in the top three.

use fixbook::search::{SearchIndex, StatusLookup, search_all};

use crate::support::{fixbook, repo_root, stdout};

struct Engine {
    index: SearchIndex,
    lookup: StatusLookup,
}

impl Engine {
    fn shipped() -> Engine {
        let (_, docs) = fixbook::search_documents(&repo_root())
            .unwrap_or_else(|f| panic!("{:?}", f.diagnostics()));
        let index = SearchIndex::from_docs(&docs).unwrap_or_else(|e| panic!("{e}"));
        Engine {
            index,
            lookup: StatusLookup::from_docs(&docs),
        }
    }

    fn urls(&self, query: &str, platform: Option<&str>) -> Vec<String> {
        search_all(&self.index, &self.lookup, query, platform, 10)
            .unwrap_or_else(|e| panic!("{query}: {e}"))
            .into_iter()
            .map(|hit| hit.url)
            .collect()
    }
}

/// Status messages as readers type them: exact, lower-cased, misspelled, with punctuation
/// or counts. The status page must be the first result.
pub(crate) const STATUS_QUERIES: &[(&str, &str)] = &[
    ("Paused", "paused"),
    ("paused", "paused"),
    ("PAUSED", "paused"),
    ("pasued", "paused"),
    ("Paused uploading 34 items", "paused"),
    ("Waiting To Upload", "waiting-to-upload"),
    ("waiting to upload", "waiting-to-upload"),
    ("waiting to uplaod", "waiting-to-upload"),
    ("Waiting to upload 12 items", "waiting-to-upload"),
    ("Updating", "updating"),
    ("updating", "updating"),
    ("updatng", "updating"),
    ("Syncing With iCloud", "syncing-with-icloud"),
    ("syncing with icloud", "syncing-with-icloud"),
    ("syncing with icloud...", "syncing-with-icloud"),
    ("Syncing with iCloud…", "syncing-with-icloud"),
    ("synching with icloud", "syncing-with-icloud"),
    ("Uploading", "uploading"),
    ("uploading", "uploading"),
    ("uplaoding", "uploading"),
    ("Waiting for photos", "waiting-for-photos"),
    ("waiting for photos", "waiting-for-photos"),
    ("waiting for photso", "waiting-for-photos"),
    ("Waiting to Sync", "waiting-to-sync"),
    ("waitng to sync", "waiting-to-sync"),
];

/// Problems and fixes described in a reader's own words: the page must be in the top three.
pub(crate) const TOPIC_QUERIES: &[(&str, &str)] = &[
    (
        "shared album not updating",
        "/articles/shared-album-not-updating/",
    ),
    (
        "new photos from my family never show up in the shared album",
        "/articles/shared-album-not-updating/",
    ),
    (
        "can't add photos to shared album",
        "/articles/cannot-add-photos-to-shared-album/",
    ),
    (
        "add button missing in shared album",
        "/articles/cannot-add-photos-to-shared-album/",
    ),
    (
        "shared album disappeared",
        "/articles/shared-album-missing-or-empty/",
    ),
    (
        "shared album empty after accepting invitation",
        "/articles/shared-album-missing-or-empty/",
    ),
    (
        "icloud photos not syncing iphone",
        "/articles/icloud-photos-not-syncing-iphone/",
    ),
    (
        "iphone photos not showing on mac",
        "/articles/iphone-photos-not-on-mac/",
    ),
    (
        "icloud photos windows pc not syncing",
        "/articles/icloud-photos-windows-not-syncing/",
    ),
    (
        "photos blurry low resolution",
        "/articles/blurry-low-resolution-photos/",
    ),
    (
        "icloud storage full photos not uploading",
        "/articles/icloud-storage-full-uploads-stopped/",
    ),
    (
        "edits not showing on other devices",
        "/articles/edits-not-showing-on-other-devices/",
    ),
    (
        "slow sync after new iphone",
        "/articles/slow-sync-new-iphone-large-videos/",
    ),
    (
        "large videos take forever to upload",
        "/articles/slow-sync-new-iphone-large-videos/",
    ),
    (
        "photo missing from library",
        "/articles/photos-missing-from-library/",
    ),
    (
        "owner vs subscriber shared album",
        "/articles/shared-album-owner-vs-subscriber/",
    ),
    ("sign out of icloud and back in", "/fixes/sign-out-and-in/"),
    ("repair photos library mac", "/fixes/repair-photos-library/"),
    ("turn off low power mode", "/fixes/turn-off-low-power-mode/"),
    ("reset network settings", "/fixes/reset-network-settings/"),
    ("subscribers can post", "/fixes/check-subscribers-can-post/"),
    (
        "apple system status page",
        "/fixes/check-apple-system-status/",
    ),
    (
        "unlimited updates cellular data",
        "/fixes/allow-cellular-data-for-photos/",
    ),
    (
        "download and keep originals",
        "/fixes/choose-optimize-or-download-originals/",
    ),
];

/// Platform-filtered queries: the platform's page must be in the top three.
pub(crate) const PLATFORM_QUERIES: &[(&str, &str, &str)] = &[
    (
        "photos not syncing",
        "windows",
        "/articles/icloud-photos-windows-not-syncing/",
    ),
    (
        "photos not appearing",
        "mac",
        "/articles/iphone-photos-not-on-mac/",
    ),
    (
        "icloud for windows options",
        "windows",
        "/fixes/set-up-icloud-for-windows/",
    ),
    ("finder sync", "mac", "/fixes/turn-off-finder-photo-sync/"),
];

#[test]
fn query_set_has_at_least_forty_queries() {
    assert!(STATUS_QUERIES.len() + TOPIC_QUERIES.len() + PLATFORM_QUERIES.len() >= 40);
}

#[test]
fn status_messages_land_on_their_page_first_even_with_typos() {
    let engine = Engine::shipped();
    let failures: Vec<String> = STATUS_QUERIES
        .iter()
        .filter_map(|(query, slug)| {
            let urls = engine.urls(query, None);
            let want = format!("/status/{slug}/");
            (urls.first() != Some(&want)).then(|| {
                format!(
                    "{query:?}: wanted {want} first, got {:?}",
                    &urls[..urls.len().min(3)]
                )
            })
        })
        .collect();
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn readers_words_find_the_right_page_in_the_top_three() {
    let engine = Engine::shipped();
    let failures: Vec<String> = TOPIC_QUERIES
        .iter()
        .filter_map(|(query, want)| {
            let urls = engine.urls(query, None);
            (!urls.iter().take(3).any(|u| u == want)).then(|| {
                format!(
                    "{query:?}: wanted {want} in top 3, got {:?}",
                    &urls[..urls.len().min(3)]
                )
            })
        })
        .collect();
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn platform_filter_keeps_the_platforms_pages_on_top() {
    let engine = Engine::shipped();
    let failures: Vec<String> = PLATFORM_QUERIES
        .iter()
        .filter_map(|(query, platform, want)| {
            let urls = engine.urls(query, Some(platform));
            (!urls.iter().take(3).any(|u| u == want)).then(|| {
                format!(
                    "{query:?} on {platform}: wanted {want} in top 3, got {:?}",
                    &urls[..urls.len().min(3)]
                )
            })
        })
        .collect();
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn platform_filter_excludes_other_platforms_pages() {
    let engine = Engine::shipped();
    // The Windows article applies to Windows and iPhone, the set-up fix to Windows only.
    let urls = engine.urls("icloud for windows", Some("mac"));
    assert!(!urls.is_empty());
    for windows_only in [
        "/articles/icloud-photos-windows-not-syncing/",
        "/fixes/set-up-icloud-for-windows/",
    ] {
        assert!(!urls.iter().any(|u| u == windows_only), "{urls:?}");
    }
    let unfiltered = engine.urls("icloud for windows", None);
    assert!(
        unfiltered
            .iter()
            .any(|u| u == "/fixes/set-up-icloud-for-windows/"),
        "{unfiltered:?}"
    );
}

#[test]
fn cli_search_prints_the_status_page_first_with_its_address() {
    let output = fixbook(&[
        "--root",
        &repo_root().to_string_lossy(),
        "search",
        "waiting",
        "to",
        "uplaod",
        "--limit",
        "3",
    ]);
    assert!(output.status.success());
    let text = stdout(&output);
    assert!(
        text.starts_with(
            "1. Waiting To Upload (status)\n   https://help.example.org/status/waiting-to-upload/\n"
        ),
        "{text}"
    );
}

#[test]
fn cli_search_json_lists_hits_with_absolute_urls() {
    let output = fixbook(&[
        "--root",
        &repo_root().to_string_lossy(),
        "search",
        "PAUSED",
        "--json",
        "--limit",
        "2",
    ]);
    assert!(output.status.success());
    let hits: serde_json::Value =
        serde_json::from_str(&stdout(&output)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(hits[0]["kind"], "status");
    assert_eq!(hits[0]["url"], "https://help.example.org/status/paused/");
    assert_eq!(hits.as_array().map(Vec::len), Some(2));
}
