//! Links to headings: `other.md#id` and `#id` must name a heading the target really has.

use crate::robustness::{check, fails_cleanly, site_with};

const STATUS: &str = "---\nmessage: Scanner offline\nmeaning: The computer has lost contact with the scanner.\nseverity: warning\nplatforms: [windows, mac]\nfixes: [restart-scanner]\n---\nThe scanner is off.\n\n## Check the cable {#cable}\n\nPlug it in.\n\n## Wake it up\n\nPress a key.\n";

fn article(body: &str) -> Vec<u8> {
    format!("---\ntitle: Anchors\ndate: 2024-01-01\nfixes: [restart-scanner]\nstatus_messages: [offline]\n---\n{body}").into_bytes()
}

#[test]
fn links_to_headings_that_exist_pass() {
    let body = "See [the cable](../status/offline.md#cable), [waking](../status/offline.md#wake-it-up) and [below](#steps).\n\n## Steps\n\nDo it.\n";
    let site = site_with(&[
        ("content/status/offline.md", STATUS.as_bytes()),
        ("content/articles/anchors.md", &article(body)),
    ]);
    let (code, err) = check(site.path());
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_link_to_a_missing_heading_is_an_error_with_the_nearest_one() {
    let body =
        "See [waking](../status/offline.md#wake-it) and [below](#stepz).\n\n## Steps\n\nDo it.\n";
    let site = site_with(&[
        ("content/status/offline.md", STATUS.as_bytes()),
        ("content/articles/anchors.md", &article(body)),
    ]);
    fails_cleanly(
        site.path(),
        "error: no heading `#wake-it` in `content/status/offline.md`\n  --> content/articles/anchors.md:7:5\n  = help: did you mean `#wake-it-up`?\n\nerror: no heading `#stepz` on this page\n  --> content/articles/anchors.md:7:48\n  = help: did you mean `#steps`?\n\nfailed: 2 error(s), 0 warning(s)\n",
    );
}
