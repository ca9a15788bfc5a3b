//! Scaffolding: `fixbook new article|fix|status SLUG` writes one content file with every
//! field commented, and `fixbook init DIR` writes a small site that builds, serves and
//! passes `check --strict` as it is.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::config::{CONFIG_FILE, Config};
use crate::content::{self, CONTENT_DIR, Kind};

mod languages;

/// Why nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    /// The id is not lowercase letters, digits and dashes.
    #[error(
        "`{slug}` is not a valid {noun} id; ids are lowercase letters, digits and single dashes, e.g. `{suggestion}`"
    )]
    InvalidSlug {
        /// The id given.
        slug: String,
        /// What the content is called.
        noun: &'static str,
        /// The id made valid.
        suggestion: String,
    },
    /// A file with that id exists already.
    #[error("{noun} `{slug}` already exists: {}", path.display())]
    Exists {
        /// What the content is called.
        noun: &'static str,
        /// The id.
        slug: String,
        /// The existing file.
        path: PathBuf,
    },
    /// A language code given to `init --languages` is not one (or is given twice).
    #[error(
        "`{code}` is not a language code, or is given twice; use lowercase BCP 47 tags, e.g. `--languages en,de`"
    )]
    BadLanguage {
        /// The code given.
        code: String,
    },
    /// The root is not a site.
    #[error("`{}` has no {CONFIG_FILE} and {CONTENT_DIR}/ folder; run this in a site, pass `--root DIR`, or create a site with `fixbook init DIR`", root.display())]
    NotASite {
        /// The root given.
        root: PathBuf,
    },
    /// `init` only writes into a new or empty folder.
    #[error("`{}` is not empty; `fixbook init` only writes into a new or empty folder", dir.display())]
    NotEmpty {
        /// The folder.
        dir: PathBuf,
    },
    /// Reading or writing failed.
    #[error("cannot write `{}`: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// Today's date where the writer is.
pub fn today() -> Date {
    jiff::Zoned::now().date()
}

/// Writes `content/<kind>/<slug>.md` in the site at `root`, dated `date`; returns its path
/// relative to `root`. Platforms are taken from the site's configuration when it reads.
pub fn new_item(root: &Path, kind: Kind, slug: &str, date: Date) -> Result<PathBuf, ScaffoldError> {
    if !crate::id::is_valid_slug(slug) {
        return Err(ScaffoldError::InvalidSlug {
            slug: slug.to_owned(),
            noun: kind.noun(),
            suggestion: crate::id::slugify(slug),
        });
    }
    if !root.join(CONTENT_DIR).is_dir() {
        return Err(ScaffoldError::NotASite {
            root: root.to_path_buf(),
        });
    }
    // An id is taken wherever its file is, nested folders included.
    if let Ok(found) = content::discover_files(root)
        && let Some((_, _, path)) = found.files.iter().find(|(k, s, _)| *k == kind && s == slug)
    {
        return Err(ScaffoldError::Exists {
            noun: kind.noun(),
            slug: slug.to_owned(),
            path: path.strip_prefix(root).unwrap_or(path).to_path_buf(),
        });
    }
    let platforms: Vec<String> = Config::load(root)
        .map(|config| config.platforms.into_iter().map(|p| p.key).collect())
        .unwrap_or_default();
    let text = text(kind, slug, date, &platforms);
    let relative = Path::new(CONTENT_DIR)
        .join(kind.dir())
        .join(format!("{slug}.md"));
    write_new(&root.join(&relative), &text).map_err(|err| match err {
        ScaffoldError::Exists { path, .. } => ScaffoldError::Exists {
            noun: kind.noun(),
            slug: slug.to_owned(),
            path: path.strip_prefix(root).unwrap_or(&path).to_path_buf(),
        },
        other => other,
    })?;
    Ok(relative)
}

/// Writes a new site into `dir` (created if needed, else it must be empty); returns the
/// files written, relative to `dir`.
pub fn init_site(dir: &Path, date: Date) -> Result<Vec<PathBuf>, ScaffoldError> {
    init_site_in(dir, date, &[])
}

/// [`init_site`] in `languages`, the first the default (none: one language, English).
pub fn init_site_in(
    dir: &Path,
    date: Date,
    languages: &[String],
) -> Result<Vec<PathBuf>, ScaffoldError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ScaffoldError::Io { path, source }
    };
    if dir.exists() {
        let mut entries = std::fs::read_dir(dir).map_err(io(dir))?;
        if entries.next().is_some() {
            return Err(ScaffoldError::NotEmpty {
                dir: dir.to_path_buf(),
            });
        }
    }
    let mut files = starter_site(date);
    languages::multilingual(&mut files, languages)?;
    for (relative, text) in &files {
        write_new(&dir.join(relative), text)?;
    }
    Ok(files.into_iter().map(|(path, _)| path).collect())
}

/// Creates a file that must not exist yet, with its folders.
fn write_new(path: &Path, text: &str) -> Result<(), ScaffoldError> {
    let io = |source| ScaffoldError::Io {
        path: path.to_path_buf(),
        source,
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    let mut file = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(file) => file,
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(ScaffoldError::Exists {
                noun: "file",
                slug: String::new(),
                path: path.to_path_buf(),
            });
        }
        Err(err) => return Err(io(err)),
    };
    file.write_all(text.as_bytes()).map_err(io)
}

/// "waiting-to-upload" → "Waiting to upload".
fn title_from(slug: &str) -> String {
    let words = slug.replace('-', " ");
    let mut chars = words.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn yaml_list(items: &[String]) -> String {
    format!("[{}]", items.join(", "))
}

fn platform_note(platforms: &[String]) -> &'static str {
    if platforms.is_empty() {
        "  # declare platforms in fixbook.toml under [platforms] first"
    } else {
        ""
    }
}

/// The new file of `kind` for `slug`: front matter with every key explained, and a body to
/// start from.
fn text(kind: Kind, slug: &str, date: Date, platforms: &[String]) -> String {
    match kind {
        Kind::Article => article(slug, date, platforms),
        Kind::Fix => fix(slug, platforms),
        Kind::Status => status(slug, platforms),
        Kind::Guide => guide(slug),
    }
}

fn guide(slug: &str) -> String {
    format!(
        r#"---
# What the reader wants to find out, as a question or a goal. Required.
title: {title}
# One sentence for the guide list, search and link previews.
description: Answer a few questions to find the right fix.
# What readers see at an answer with `get_help: true`; else a short default.
get_help:
  when: Say when to stop and contact support.
  prepare: [What to have ready]
# In a translation (<slug>.<code>.md) only: what could not be confirmed, for reviewers.
# unverified: The wording in this language is not confirmed.
# The questions; readers start at the first. Each answer leads to exactly one of:
# `question:` (an id below), `article:` (its guide), `fix:`, `status:`, or `get_help: true`.
questions:
  - id: start
    ask: What do you notice?
    # hint: Where to look, or what the words mean.
    answers:
      - answer: Something specific
        question: next
      - answer: None of these
        get_help: true
  - id: next
    ask: What happens then?
    answers:
      - answer: It gets stuck
        get_help: true
# In a translation (<slug>.<code>.md, the same questions and answers) only: what could not be
# confirmed, for reviewers.
# unverified: The wording in this language is not confirmed.
---
"#,
        title = title_from(slug),
    )
}

fn article(slug: &str, date: Date, platforms: &[String]) -> String {
    format!(
        r#"---
# The problem, in the words readers would use. Required.
title: {title}
# One sentence for search results and link previews; else the first paragraph is used.
# description: What goes wrong, in one sentence.
# The day it was published (required); add `updated:` with the day of a later revision.
date: {date}
# updated: {date}
# Platform keys declared in fixbook.toml; remove the ones this problem does not concern.
platforms: {platforms}{note}
# Topics; each gets a page listing its articles.
tags: []
# How readers describe what they see (searchable, and shown at the top).
symptoms:
  - Describe what the reader notices, in their words
# Ids of the exact messages readers see (content/status/<id>.md).
status_messages: []
# Ids of the fixes to try, safest first (content/fixes/<id>.md).
fixes: []
# Ids of articles about neighbouring problems.
# related: []
# When to stop and contact support, and what to have ready.
# get_help:
#   when: If nothing above helped, contact support.
#   prepare:
#     - The device model and system version
# The picture link previews show (a path on the site, or an allowed image host).
# thumbnail: /assets/printer-panel.png
# Pages saved from the web may carry `excerpt:` (read as the description) and
# `categories:` (read as tags); both are accepted as they are.
# excerpt: What goes wrong, in one sentence.
# categories: []
# Old addresses of this page, after a rename: old slugs or paths (`/old/page.html`).
# They keep working and lead here.
# aliases: [old-slug]
# Set to true to check the article without publishing it.
# draft: true
# In a translation (<slug>.<code>.md) only: what could not be confirmed, for reviewers.
# unverified: The wording in this language is not confirmed.
---

Explain in a paragraph or two what is going on and why it happens. Readers arrive with a
message on their screen: say what it means before telling them what to do.

## Why it happens

Describe the usual causes, most common first.
"#,
        title = title_from(slug),
        platforms = yaml_list(platforms),
        note = platform_note(platforms),
    )
}

fn fix(slug: &str, platforms: &[String]) -> String {
    let steps = platforms
        .iter()
        .map(|key| {
            format!("::: platform {key}\n1. The first step on {key}.\n2. The next step.\n:::\n")
        })
        .collect::<Vec<_>>()
        .join("\n");
    format!(
        r#"---
# What the fix does, as an instruction. Required.
title: {title}
# One sentence for lists and search results; else the first paragraph is used.
# description: What this fix does, in one sentence.
# low (nothing can be lost), medium (takes time or changes settings), or high
# (destructive or slow: shown last, and needs a `warning`). Required.
risk: low
# About how long it takes.
duration: 5 min
# The platforms it applies to (at least one).
platforms: {platforms}{note}
# What to know or back up before starting; expected on high-risk fixes.
# warning: Signing out removes downloaded copies; check that your library is backed up.
# Old addresses of this page, after a rename: old slugs or paths (`/old/page.html`).
# aliases: [old-slug]
# In a translation (<slug>.<code>.md) only: what could not be confirmed, for reviewers.
# unverified: The wording in this language is not confirmed.
---

Say in a sentence what this fix changes and why it helps.

{steps}"#,
        title = title_from(slug),
        platforms = yaml_list(platforms),
        note = platform_note(platforms),
        steps = if steps.is_empty() {
            "1. The first step.\n2. The next step.\n".to_owned()
        } else {
            steps
        },
    )
}

fn status(slug: &str, platforms: &[String]) -> String {
    format!(
        r#"---
# The message exactly as the device shows it, capitals and punctuation included. Required.
message: {title}
# Other ways readers type it; an entry starting with `/` is an old address of this page.
aliases: []
# What it means, in one sentence. Required.
meaning: Say what the device is doing or waiting for when it shows this.
# info (normal progress), warning (held back by something the reader can change) or error.
severity: info
# Where the message appears (at least one platform).
platforms: {platforms}{note}
# Ids of the fixes to try, safest first (content/fixes/<id>.md).
fixes: []
# In a translation (<slug>.<code>.md) only: what could not be confirmed, for reviewers.
# unverified: The wording in this language is not confirmed.
---

Where readers see this message, and what usually leads to it.
"#,
        title = title_from(slug),
        platforms = yaml_list(platforms),
        note = platform_note(platforms),
    )
}

/// The starter site: a configuration and one article that shows one status message and
/// uses one fix, so that every page kind exists and nothing is an orphan.
fn starter_site(date: Date) -> Vec<(PathBuf, String)> {
    let file = |path: &str, text: String| (PathBuf::from(path), text);
    vec![
        file(
            CONFIG_FILE,
            r#"# The site's settings; see the fixbook README for every key.
title = "Help Center"
# Where the site will be published. Pages link to each other under its path.
base_url = "https://help.example.org/"
description = "Plain answers to the problems our readers run into."
language = "en"
# "Edit this page" links: {path} is the content file's path.
# edit_url = "https://github.com/example/help/edit/main/{path}"

# The platforms readers use: key (used in front matter) = label (shown to readers).
[platforms]
windows = "Windows"
mac = "Mac"
iphone = "iPhone"
android = "Android"

# Screenshots and other media live in content/media/ (or beside an article), referenced
# like links: ![What it shows](../media/settings.png). They are published as responsive
# WebP sets without metadata; every key below is optional (these are the defaults).
# [images]
# widths = [480, 960, 1600]
# fallback_width = 960
# quality = 80
# max_megapixels = 50
# max_megabytes = 30
# Search. Stop words come from `language` above.
[search]
# Each group lists words or phrases readers use for the same thing: a search for any of
# them finds the others, on every surface.
synonyms = [
  ["wi-fi", "wifi", "wireless network"],
  ["pc", "windows computer", "laptop"],
]
# `fixbook check --external` asks every off-site link whether it still answers:
# [link_check]
# skip = ["https://intranet.example.org/"]  # address prefixes never asked
# timeout = "10s"       # the most one request may take, connecting included
# cache_ttl = "1d"      # how long an answer (ok, gone, moved) is trusted; kept in .fixbook/cache/
# time_limit = "5m"     # the most the whole check may take; links left are reported as not checked
# broken = "error"      # or "warning": how a broken link is reported
# redirect = "warning"  # or "error" or "ignore": how a link that moved permanently is reported
"#
            .to_owned(),
        ),
        file(
            ".gitignore",
            "/public/\n/.public.fixbook-*\n.fixbook/\n".to_owned(),
        ),
        file(
            "content/articles/changes-do-not-sync.md",
            format!(
                r#"---
title: Changes on one device do not show up on the others
description: You edited something on one device and your other devices still show the old version.
date: {date}
platforms: [windows, mac, iphone, android]
tags: [sync]
symptoms:
  - An edit made on the phone never appears on the computer
  - The app says it is waiting to sync
status_messages: [waiting-to-sync]
fixes: [check-connection]
get_help:
  when: If changes still do not sync an hour after every fix, contact support.
  prepare:
    - The app version on each device
    - The exact message the app shows
---

Each device sends its changes to the server and fetches everyone else's. When one device
cannot reach the server, its changes wait on that device, and the others never see them.

## Why it happens

Most often the device is offline or on a network that blocks the app. Less often the app
was closed before it finished sending.
"#
            ),
        ),
        file(
            "content/fixes/check-connection.md",
            r#"---
title: Check the internet connection
description: Make sure the device can reach the internet, then let the app sync.
risk: low
duration: 2 min
platforms: [windows, mac, iphone, android]
---

Open any website on the device. If it does not load, connect to another network first.

::: platform windows mac
1. Open a website in your browser.
2. If it does not load, choose another Wi-Fi network from the menu bar or taskbar.
:::

::: platform iphone android
1. Turn Airplane Mode on, wait ten seconds, and turn it off again.
2. Open a website in the browser to check.
:::

Then open the app and leave it open for a minute.
"#
            .to_owned(),
        ),
        file(
            "content/status/waiting-to-sync.md",
            r#"---
message: Waiting to sync
aliases: ["Waiting for sync"]
meaning: The app has changes to send, but cannot reach the server yet.
severity: warning
platforms: [windows, mac, iphone, android]
fixes: [check-connection]
---

Shown at the bottom of the app's main screen while changes wait to be sent.
"#
            .to_owned(),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_come_from_slugs() {
        assert_eq!(title_from("waiting-to-upload"), "Waiting to upload");
        assert_eq!(title_from("x"), "X");
    }

    #[test]
    fn fixbook_init_writes_a_configuration_that_explains_the_search_table() {
        let files = starter_site(jiff::civil::date(2026, 1, 2));
        let config = &files
            .iter()
            .find(|(path, _)| path.as_os_str() == CONFIG_FILE)
            .unwrap()
            .1;
        let parsed = crate::config::Config::parse(config).unwrap();
        assert_eq!(parsed.search.synonyms.len(), 2);
        let lines: Vec<&str> = config.lines().collect();
        for key in ["[search]", "synonyms ="] {
            let at = lines.iter().position(|l| l.starts_with(key)).unwrap();
            assert!(lines[at - 1].starts_with('#'), "`{key}` is not explained");
        }
    }

    #[test]
    fn fixbook_init_explains_every_link_check_key() {
        let keys = crate::config::link_check::accepted_keys();
        assert_eq!(keys.len(), 6, "{keys:?}");
        let site = starter_site(jiff::civil::date(2026, 1, 2));
        let config = &site[0].1;
        assert!(config.contains("\n# [link_check]\n"));
        for key in keys {
            assert!(
                config.contains(&format!("\n# {key} = ")),
                "`fixbook init` does not explain `{key}` of `[link_check]`"
            );
        }
    }

    #[test]
    fn fixbook_new_explains_every_key_the_loader_accepts() {
        let platforms = ["mac".to_owned()];
        for kind in Kind::ALL {
            let keys = crate::content::front_matter::accepted_keys(kind);
            assert!(keys.len() > 3, "{kind:?}: {keys:?}");
            let text = text(kind, "a", jiff::civil::date(2026, 1, 2), &platforms);
            for key in keys {
                let explained = text.lines().any(|line| {
                    let line = line.trim_start_matches('#').trim_start();
                    line.starts_with(&format!("{key}:"))
                });
                assert!(
                    explained,
                    "`fixbook new` for {kind:?} does not explain `{key}:`"
                );
            }
        }
    }
}
