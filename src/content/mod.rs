//! Load: walk `content/`, split and parse front matter, and build the typed [`Library`].

pub mod aliases;
mod date;
pub(crate) mod front_matter;
mod guide;
mod load;
pub mod source;
mod translations;

pub use date::PageDate;
pub use guide::{Answer, Guide, Question, Target};
pub use load::{
    CONTENT_DIR, Discovered, FoundFile, Loaded, Parsed, discover_files, load, load_bytes,
    plain_content_file, read_one, split_language,
};
pub use source::SourceFile;
pub use translations::{coverage, is_fallback, unverified_notes};

use std::path::PathBuf;

/// A value from front matter together with where it was written (1-based, in the file).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// 1-based line in the file.
    pub line: usize,
    /// 1-based column in the file.
    pub column: usize,
}

/// The kinds of content, each in its own folder under `content/`; also what kind of page a
/// search result is (`"article"`, `"fix"`, `"status"`, `"guide"` in indexes and JSON).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A problem readers have (`content/articles/`).
    Article,
    /// A reusable fix (`content/fixes/`).
    Fix,
    /// One exact status message (`content/status/`).
    Status,
    /// An authored decision tree (`content/guides/`).
    Guide,
}

impl Kind {
    /// Every kind, in load order.
    pub const ALL: [Kind; 4] = [Kind::Article, Kind::Fix, Kind::Status, Kind::Guide];

    /// The folder under `content/` and the URL prefix of the kind's pages.
    pub fn dir(self) -> &'static str {
        match self {
            Kind::Article => "articles",
            Kind::Fix => "fixes",
            Kind::Status => "status",
            Kind::Guide => "guides",
        }
    }

    /// The address of an item's page relative to the site's base: `articles/<slug>/`. The
    /// one place it is spelled: the site's pages, links between content files and search
    /// all ask here.
    pub fn page_path(self, slug: &str) -> String {
        format!("{}/{slug}/", self.dir())
    }

    /// The lowercase name used in search indexes, filters and JSON (as serialized).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Article => "article",
            Kind::Fix => "fix",
            Kind::Status => "status",
            Kind::Guide => "guide",
        }
    }

    /// Parses the name written by [`Kind::as_str`].
    pub fn parse(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|kind| kind.as_str() == name)
    }

    /// What the kind is called in messages.
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Article => "article",
            Kind::Fix => "fix",
            Kind::Status => "status message",
            Kind::Guide => "guide",
        }
    }
}

/// How risky a fix is: low-risk fixes are shown first, high-risk ones last with a warning.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Deserialize, serde::Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Risk {
    /// Toggles and checks: nothing can be lost.
    Low,
    /// Takes time or changes settings that are easy to undo.
    Medium,
    /// Destructive or slow, e.g. signing out: back up first.
    High,
}

impl Risk {
    /// Every risk level, in the order fixes are shown.
    pub const ALL: [Risk; 3] = [Risk::Low, Risk::Medium, Risk::High];

    /// The front-matter spelling.
    pub fn key(self) -> &'static str {
        match self {
            Risk::Low => "low",
            Risk::Medium => "medium",
            Risk::High => "high",
        }
    }

    /// The label shown to readers.
    pub fn label(self) -> &'static str {
        match self {
            Risk::Low => "Low risk",
            Risk::Medium => "Medium risk",
            Risk::High => "High risk",
        }
    }
}

/// How serious a status message is.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    serde::Deserialize,
    serde::Serialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Normal progress; usually nothing to do.
    #[default]
    Info,
    /// Progress is held back by something the reader can change.
    Warning,
    /// Something failed.
    Error,
}

impl Severity {
    /// The front-matter spelling.
    pub fn key(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// The label shown to readers.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Info => "Information",
            Severity::Warning => "Needs attention",
            Severity::Error => "Error",
        }
    }
}

/// The "when to get help" block of an article or a guide.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct GetHelp {
    /// When to stop troubleshooting and contact support.
    pub when: String,
    /// What to have ready.
    #[serde(default)]
    pub prepare: Vec<String>,
}

/// A problem readers have: symptoms, status messages seen, and fixes in order.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Article {
    /// The id, from the file name.
    pub slug: String,
    /// Where it came from.
    pub source: SourceFile,
    /// The headline.
    pub title: String,
    /// One sentence for results and meta tags, if given (`description` or `excerpt`).
    pub description: Option<String>,
    /// When it was published.
    pub date: PageDate,
    /// When it was last changed.
    pub updated: Option<PageDate>,
    /// Platform keys it applies to.
    pub platforms: Vec<Located<String>>,
    /// Topics (`tags` and `categories`).
    pub tags: Vec<String>,
    /// How readers describe the problem.
    pub symptoms: Vec<String>,
    /// Ids of the status messages readers see.
    pub status_messages: Vec<Located<String>>,
    /// Ids of the fixes, in the order to try them.
    pub fixes: Vec<Located<String>>,
    /// Ids of related articles.
    pub related: Vec<Located<String>>,
    /// Old addresses of its page (see [`aliases::old_address`]), which redirect to it.
    pub old_addresses: Vec<Located<String>>,
    /// When to get help, and what to prepare.
    pub get_help: Option<GetHelp>,
    /// The social image (`thumbnail`): a media file's path relative to the article, a path
    /// on the site, or an absolute URL.
    pub thumbnail: Option<Located<String>>,
}

/// A reusable fix with its risk, duration and steps.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Fix {
    /// The id, from the file name.
    pub slug: String,
    /// Where it came from.
    pub source: SourceFile,
    /// What the fix does, as an instruction.
    pub title: String,
    /// One sentence summary, if given.
    pub description: Option<String>,
    /// How risky it is.
    pub risk: Located<Risk>,
    /// How long it takes, e.g. "2 min".
    pub duration: Option<String>,
    /// Platform keys it applies to.
    pub platforms: Vec<Located<String>>,
    /// What to know before starting (expected on high-risk fixes).
    pub warning: Option<String>,
    /// Old addresses of its page (see [`aliases::old_address`]), which redirect to it.
    pub old_addresses: Vec<Located<String>>,
}

/// One exact status message a device shows.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StatusMessage {
    /// The id, from the file name.
    pub slug: String,
    /// Where it came from.
    pub source: SourceFile,
    /// The exact text as displayed.
    pub message: String,
    /// Other ways readers type it.
    pub aliases: Vec<String>,
    /// What it means.
    pub meaning: String,
    /// How serious it is.
    pub severity: Severity,
    /// Platform keys on which it appears.
    pub platforms: Vec<Located<String>>,
    /// Ids of the fixes to try, in order.
    pub fixes: Vec<Located<String>>,
    /// Old addresses of its page (`aliases:` entries starting with `/`), which redirect
    /// to it.
    pub old_addresses: Vec<Located<String>>,
}

/// Everything under `content/`, parsed, each list sorted by slug.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Library {
    /// The problems.
    pub articles: Vec<Article>,
    /// The fixes.
    pub fixes: Vec<Fix>,
    /// The status messages.
    pub statuses: Vec<StatusMessage>,
    /// The authored guides.
    pub guides: Vec<Guide>,
    /// The media files (every file under `content/` that is not Markdown), from the site
    /// root, sorted.
    pub media: Vec<PathBuf>,
    /// The translations (`<slug>.<code>.md`), by language code: the same kinds of items,
    /// each with its `source.lang`, sorted by slug. See [`Library::for_language`].
    pub translations: std::collections::BTreeMap<String, Library>,
}

impl Library {
    /// Drops every item's Markdown (paths and positions stay): a one-shot build needs only
    /// what the Markdown rendered to, and at 10,000 articles the Markdown is tens of MB.
    pub fn release_markdown(&mut self) {
        let sources = self
            .articles
            .iter_mut()
            .map(|a| &mut a.source)
            .chain(self.fixes.iter_mut().map(|f| &mut f.source))
            .chain(self.statuses.iter_mut().map(|s| &mut s.source))
            .chain(self.guides.iter_mut().map(|g| &mut g.source));
        for source in sources {
            source.body = String::new();
        }
    }

    /// The bytes of Markdown of every item, translations included.
    pub fn markdown_len(&self) -> usize {
        self.sources()
            .map(|source| source.body.len())
            .sum::<usize>()
            + self
                .translations
                .values()
                .map(Library::markdown_len)
                .sum::<usize>()
    }

    /// Every item's source file: articles, fixes, status messages, then guides.
    pub fn sources(&self) -> impl Iterator<Item = &SourceFile> {
        self.items().map(|(_, source, _)| source)
    }

    /// Every item with its kind, source file and slug, in the order of [`Library::sources`].
    pub fn items(&self) -> impl Iterator<Item = (Kind, &SourceFile, &str)> {
        (self.articles.iter())
            .map(|a| (Kind::Article, &a.source, a.slug.as_str()))
            .chain((self.fixes.iter()).map(|f| (Kind::Fix, &f.source, f.slug.as_str())))
            .chain((self.statuses.iter()).map(|s| (Kind::Status, &s.source, s.slug.as_str())))
            .chain((self.guides.iter()).map(|g| (Kind::Guide, &g.source, g.slug.as_str())))
    }

    /// Finds an article by slug.
    pub fn article(&self, slug: &str) -> Option<&Article> {
        find(&self.articles, slug, |a| &a.slug)
    }

    /// Finds a fix by slug.
    pub fn fix(&self, slug: &str) -> Option<&Fix> {
        find(&self.fixes, slug, |f| &f.slug)
    }

    /// Finds a status message by slug.
    pub fn status(&self, slug: &str) -> Option<&StatusMessage> {
        find(&self.statuses, slug, |s| &s.slug)
    }

    /// Finds a guide by slug.
    pub fn guide(&self, slug: &str) -> Option<&Guide> {
        find(&self.guides, slug, |g| &g.slug)
    }

    /// The slugs of one kind, sorted.
    pub fn slugs(&self, kind: Kind) -> Vec<&str> {
        match kind {
            Kind::Article => self.articles.iter().map(|a| a.slug.as_str()).collect(),
            Kind::Fix => self.fixes.iter().map(|f| f.slug.as_str()).collect(),
            Kind::Status => self.statuses.iter().map(|s| s.slug.as_str()).collect(),
            Kind::Guide => self.guides.iter().map(|g| g.slug.as_str()).collect(),
        }
    }
}

fn find<'a, T>(items: &'a [T], slug: &str, key: impl Fn(&T) -> &String) -> Option<&'a T> {
    items
        .binary_search_by(|item| key(item).as_str().cmp(slug))
        .ok()
        .map(|i| &items[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kinds_name_in_indexes_is_its_serialized_name_and_parses_back() {
        for kind in Kind::ALL {
            let json = serde_json::to_string(&kind).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
            assert_eq!(Kind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(Kind::Status.as_str(), "status");
        assert_eq!(Kind::parse("status message"), None);
    }
}
