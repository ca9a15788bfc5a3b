//! A tiny handmade knowledge base for the search tests: statuses, articles that show them,
//! fixes, and one page pasted from the web with a script tag in its text.

use super::{SearchDoc, StatusLookup};
use crate::content::Kind;

#[allow(clippy::too_many_arguments)] // one flat row per document reads best
fn doc(
    kind: Kind,
    slug: &str,
    title: &str,
    description: &str,
    status_messages: &[&str],
    symptoms: &[&str],
    body: &str,
    platforms: &[&str],
) -> SearchDoc {
    let section = match kind {
        Kind::Article => "articles",
        Kind::Fix => "fixes",
        Kind::Status => "status",
        Kind::Guide => "guides",
    };
    SearchDoc {
        kind,
        slug: slug.to_owned(),
        url: format!("/{section}/{slug}/"),
        title: title.to_owned(),
        description: description.to_owned(),
        status_messages: status_messages.iter().map(|s| (*s).to_owned()).collect(),
        symptoms: symptoms.iter().map(|s| (*s).to_owned()).collect(),
        body: body.to_owned(),
        platforms: platforms.iter().map(|s| (*s).to_owned()).collect(),
    }
}

fn status(
    slug: &str,
    message: &str,
    aliases: &[&str],
    meaning: &str,
    platforms: &[&str],
) -> SearchDoc {
    let mut messages = vec![message];
    messages.extend_from_slice(aliases);
    doc(
        Kind::Status,
        slug,
        message,
        meaning,
        &messages,
        &[],
        meaning,
        platforms,
    )
}

/// Statuses, articles and fixes about iCloud Photos sync.
pub fn sample_docs() -> Vec<SearchDoc> {
    const ALL: &[&str] = &["iphone", "ipad", "mac", "windows"];
    vec![
        status(
            "waiting-to-upload",
            "Waiting To Upload",
            &[],
            "Photos has new items queued but is not sending them to iCloud yet.",
            &["iphone", "ipad", "mac"],
        ),
        status(
            "paused",
            "Paused",
            &["Paused uploading 34 items", "Upload paused"],
            "Syncing was paused, usually by Low Power Mode or a slow network.",
            &["iphone", "ipad"],
        ),
        status(
            "syncing-with-icloud",
            "Syncing with iCloud…",
            &[],
            "The library is comparing itself with iCloud; large libraries take hours.",
            &["mac"],
        ),
        status(
            "waiting-for-photos",
            "Waiting for photos",
            &[],
            "The Windows app is waiting for the Photos service to hand over new items.",
            &["windows"],
        ),
        status(
            "uploading",
            "Uploading",
            &["Uploading 12 items"],
            "Items are being sent to iCloud right now.",
            ALL,
        ),
        status(
            "not-enough-storage",
            "Not Enough Storage",
            &[],
            "Your iCloud storage is full, so nothing more can upload.",
            ALL,
        ),
        doc(
            Kind::Article,
            "shared-album-stopped-updating",
            "Shared album stopped updating",
            "New photos in a shared album never show up on your devices.",
            &["Waiting To Upload", "Paused"],
            &[
                "New photos from other people never appear",
                "The album shows an old cover photo",
            ],
            "Shared albums sync separately from your library. When the library says waiting \
             to upload the shared album queue is stuck too. Power settings and network \
             limits are the usual cause.",
            &["iphone", "ipad", "mac"],
        ),
        doc(
            Kind::Article,
            "icloud-photos-not-syncing-on-windows",
            "iCloud Photos not syncing on Windows",
            "The Windows app stays on one message and new pictures never download.",
            &["Waiting for photos", "Syncing with iCloud…"],
            &[
                "Pictures folder stays empty",
                "The tray icon never stops spinning",
            ],
            "The Windows app relies on a background service. When the service stops the app \
             keeps waiting for photos forever. Restarting the service usually helps.",
            &["windows"],
        ),
        doc(
            Kind::Article,
            "uploads-stuck-on-iphone",
            "Uploads stuck on iPhone",
            "The upload counter does not move for hours.",
            &["Uploading", "Paused"],
            &["Upload progress bar stuck", "Photos say paused at night"],
            "Uploading large videos needs power and Wi-Fi. Low Power Mode pauses uploads \
             without telling you much.",
            &["iphone"],
        ),
        doc(
            Kind::Article,
            "print-a-photo-from-an-album",
            "Print a photo from a shared album",
            "How to print a photo that someone shared with you.",
            &[],
            &["Print button is missing"],
            "Open the photo, choose Share, then Print. On a Mac, use File then Print. \
             Printing needs the full size original, so wait until it downloads.",
            ALL,
        ),
        doc(
            Kind::Article,
            "pasted-ad-page",
            "Cleaning up a pasted page",
            "A page saved from the web with <b>markup</b> in its text.",
            &[],
            &[],
            "The old page contained <script>alert('x')</script> from an ad network and \
             a line about storage & backups.",
            &[],
        ),
        doc(
            Kind::Fix,
            "check-connection",
            "Check your Wi-Fi connection",
            "Make sure the device is on a working Wi-Fi network.",
            &[],
            &[],
            "Open Settings and check that Wi-Fi is on. Uploads wait for Wi-Fi unless \
             cellular data is allowed for Photos.",
            ALL,
        ),
        doc(
            Kind::Fix,
            "free-icloud-storage",
            "Free up iCloud storage",
            "Delete old backups or buy more storage so uploads can continue.",
            &[],
            &[],
            "Review the storage used by backups and large attachments, then delete what you \
             no longer need.",
            ALL,
        ),
        doc(
            Kind::Fix,
            "turn-off-low-power-mode",
            "Turn off Low Power Mode",
            "Low Power Mode pauses uploads; turn it off while syncing.",
            &[],
            &[],
            "Open Settings, then Battery, and switch Low Power Mode off. Keep the phone \
             charging while the library uploads.",
            &["iphone", "ipad"],
        ),
    ]
}

/// The status lookup over [`sample_docs`].
pub fn sample_lookup() -> StatusLookup {
    StatusLookup::from_docs(&sample_docs())
}
