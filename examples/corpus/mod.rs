//! The synthetic knowledge base of the benchmarks, shared by the `gen_corpus` and
//! `bench_build` examples.
//!
//! Deterministic: the same N writes the same files. Each article has front matter with
//! platforms, tags, symptoms, status messages and fixes, and a body with headings,
//! paragraphs, an ordered list, a table and a highlighted shell block; there are N/10 shared
//! fixes and up to 200 status messages, as in the cross-tool corpus used to compare fixbook
//! with other generators.

use std::fmt::Write as _;
use std::path::Path;

const WORDS: &[&str] = &[
    "sync",
    "photo",
    "album",
    "library",
    "upload",
    "download",
    "icloud",
    "device",
    "network",
    "wifi",
    "cellular",
    "storage",
    "quota",
    "battery",
    "power",
    "mode",
    "queue",
    "server",
    "status",
    "account",
    "sign",
    "token",
    "cache",
    "restart",
    "update",
    "setting",
    "toggle",
    "permission",
    "owner",
    "subscriber",
    "invite",
    "share",
    "stream",
    "thumbnail",
    "original",
    "optimize",
    "backup",
    "restore",
    "repair",
    "database",
    "index",
    "metadata",
    "edit",
    "video",
    "live",
    "burst",
    "raw",
    "hdr",
    "folder",
    "explorer",
    "windows",
    "mac",
    "iphone",
    "ipad",
    "agent",
    "task",
    "paused",
    "waiting",
    "progress",
    "stalled",
    "error",
    "timeout",
    "firewall",
    "vpn",
    "router",
    "hotspot",
];
const PLATFORMS: &[&str] = &["iphone", "ipad", "mac", "windows"];
const TAGS: &[&str] = &[
    "sync",
    "storage",
    "network",
    "account",
    "shared-albums",
    "power",
    "windows-app",
    "library",
];
const STATUS: &[&str] = &[
    "Waiting To Upload",
    "Paused",
    "Updating",
    "Syncing With iCloud",
    "Uploading",
    "Waiting for photos",
    "Upload failed",
    "Not enough storage",
    "Optimizing",
    "Downloading originals",
];

fn sentence(rng: &mut fastrand::Rng, words: usize) -> String {
    let mut s: Vec<&str> = (0..words)
        .map(|_| WORDS[rng.usize(..WORDS.len())])
        .collect();
    let first = s[0].to_owned();
    let capital = first[..1].to_uppercase() + &first[1..];
    s[0] = &capital;
    format!("{}.", s.join(" "))
}

fn para(rng: &mut fastrand::Rng) -> String {
    let n = rng.usize(3..=5);
    (0..n)
        .map(|_| {
            let w = rng.usize(8..=18);
            sentence(rng, w)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn sample<'a>(rng: &mut fastrand::Rng, from: &[&'a str], n: usize) -> Vec<&'a str> {
    let mut all: Vec<&str> = from.to_vec();
    rng.shuffle(&mut all);
    all.truncate(n);
    all.sort_unstable();
    all
}

fn list(items: &[String]) -> String {
    format!("[{}]", items.join(", "))
}

fn write(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, text)
}

fn article(i: usize, fixes: usize, statuses: usize) -> (String, String) {
    let mut rng = fastrand::Rng::with_seed(i as u64);
    let title: Vec<&str> = (0..5).map(|_| WORDS[rng.usize(..WORDS.len())]).collect();
    let platforms: Vec<String> = {
        let n = rng.usize(1..=3);
        sample(&mut rng, PLATFORMS, n)
    }
    .iter()
    .map(|s| s.to_string())
    .collect();
    let tags: Vec<String> = sample(&mut rng, TAGS, 2)
        .iter()
        .map(|s| s.to_string())
        .collect();
    let mut front = String::new();
    let _ = writeln!(front, "title: \"Problem {i}: {}\"", title.join(" "));
    let _ = writeln!(front, "description: \"{}\"", {
        let w = rng.usize(8..=18);
        sentence(&mut rng, w)
    });
    let _ = writeln!(front, "date: 2024-{:02}-{:02}", i % 12 + 1, i % 28 + 1);
    let _ = writeln!(front, "platforms: {}", list(&platforms));
    let _ = writeln!(front, "tags: {}", list(&tags));
    front.push_str("symptoms:\n");
    for _ in 0..3 {
        let _ = writeln!(front, "  - \"{}\"", sentence(&mut rng, 7));
    }
    let mut status_ids: Vec<usize> = Vec::new();
    while status_ids.len() < 2.min(statuses) {
        let s = rng.usize(..statuses);
        if !status_ids.contains(&s) {
            status_ids.push(s);
        }
    }
    status_ids.sort_unstable();
    let _ = writeln!(
        front,
        "status_messages: {}",
        list(
            &status_ids
                .iter()
                .map(|s| format!("status-{s:03}"))
                .collect::<Vec<_>>()
        )
    );
    let mut fix_ids: Vec<usize> = Vec::new();
    while fix_ids.len() < 4.min(fixes) {
        let f = rng.usize(..fixes);
        if !fix_ids.contains(&f) {
            fix_ids.push(f);
        }
    }
    let _ = writeln!(
        front,
        "fixes: {}",
        list(
            &fix_ids
                .iter()
                .map(|f| format!("fix-{f:04}"))
                .collect::<Vec<_>>()
        )
    );
    let mut body = String::new();
    let _ = write!(
        body,
        "{}\n\n## Why it happens\n\n{}\n\n## Quick checks\n\n",
        para(&mut rng),
        para(&mut rng)
    );
    for k in 1..=5 {
        let w = rng.usize(8..=18);
        let _ = writeln!(body, "{k}. {}", sentence(&mut rng, w));
    }
    body.push_str("\n## Where to look\n\n| Symptom | Where to look | Quick fix |\n|---|---|---|\n");
    for _ in 0..3 {
        let _ = writeln!(
            body,
            "| {} | {} | {} |",
            sentence(&mut rng, 5),
            sentence(&mut rng, 4),
            sentence(&mut rng, 5)
        );
    }
    body.push_str("\n## Command line\n\n```sh\n");
    for _ in 0..4 {
        let (a, b, c) = (
            WORDS[rng.usize(..WORDS.len())],
            WORDS[rng.usize(..WORDS.len())],
            WORDS[rng.usize(..WORDS.len())],
        );
        let _ = writeln!(body, "defaults read com.apple.{a} {b} # {c}");
    }
    let _ = write!(
        body,
        "```\n\n## Details\n\n{}\n\n{}\n",
        para(&mut rng),
        para(&mut rng)
    );
    (
        format!("problem-{i:05}"),
        format!("---\n{front}---\n\n{body}"),
    )
}

/// What [`write_corpus`] wrote.
pub struct Written {
    pub articles: usize,
    pub fixes: usize,
    pub statuses: usize,
}

/// Writes the site of `n` articles into `out`: `fixbook.toml` and `content/`.
pub fn write_corpus(n: usize, out: &Path) -> std::io::Result<Written> {
    let fixes = (n / 10).max(20);
    let statuses = (n / 50).clamp(10, 200);
    write(
        &out.join("fixbook.toml"),
        "title = \"Bench KB\"\nbase_url = \"https://kb.example.org/\"\n\n[platforms]\niphone = \"iPhone\"\nipad = \"iPad\"\nmac = \"Mac\"\nwindows = \"Windows\"\n",
    )?;
    for i in 0..n {
        let (slug, text) = article(i, fixes, statuses);
        write(&out.join(format!("content/articles/{slug}.md")), &text)?;
    }
    for k in 0..fixes {
        let mut rng = fastrand::Rng::with_seed(1_000_000 + k as u64);
        let risk = ["low", "medium", "high"][rng.usize(..3)];
        let platforms: Vec<String> = sample(&mut rng, PLATFORMS, 2)
            .iter()
            .map(|s| s.to_string())
            .collect();
        let warning = if risk == "high" {
            "warning: \"Back up first.\"\n"
        } else {
            ""
        };
        let mut text = format!(
            "---\ntitle: \"Fix {k}: {}\"\nrisk: {risk}\nplatforms: {}\n{warning}---\n\n{}\n\n",
            sentence(&mut rng, 4),
            list(&platforms),
            para(&mut rng)
        );
        for j in 1..=5 {
            let w = rng.usize(8..=18);
            let _ = writeln!(text, "{j}. {}", sentence(&mut rng, w));
        }
        write(&out.join(format!("content/fixes/fix-{k:04}.md")), &text)?;
    }
    for k in 0..statuses {
        let mut rng = fastrand::Rng::with_seed(2_000_000 + k as u64);
        let message = if k < STATUS.len() {
            STATUS[k].to_owned()
        } else {
            format!("{} ({k})", STATUS[k % STATUS.len()])
        };
        let platforms: Vec<String> = sample(&mut rng, PLATFORMS, 2)
            .iter()
            .map(|s| s.to_string())
            .collect();
        let w = rng.usize(8..=18);
        let text = format!(
            "---\nmessage: \"{message}\"\nmeaning: \"{}\"\nplatforms: {}\n---\n\n{}\n",
            sentence(&mut rng, w),
            list(&platforms),
            para(&mut rng)
        );
        write(&out.join(format!("content/status/status-{k:03}.md")), &text)?;
    }
    Ok(Written {
        articles: n,
        fixes,
        statuses,
    })
}
