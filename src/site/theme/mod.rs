//! The theme: Tera templates and static assets, built in and overridable per site.
//!
//! Two layers. The built-in theme is compiled into the binary from the repository's
//! `templates/`; a site's own `templates/` folder lies over it, file by file: a site file
//! replaces the built-in file with the same path. The built-in templates are compiled too,
//! named under [`BUILTIN_PREFIX`], as Tera's fallback layer, so that
//!
//! - a template asked for by name (`base.html`, `partials/header.html`) is the site's when
//!   it has one, else the built-in one;
//! - a component a site template defines wins over the built-in component of that name,
//!   whichever file either lives in: a site's `partials/cards.html` replaces the cards and
//!   nothing else, and a site that still keeps every component in one file of its own
//!   keeps working;
//! - a site template can extend a built-in one instead of copying it
//!   (`{% extends "@builtin/base.html" %}`).

mod digests;
mod escape;
pub(super) mod words;

pub use words::{WORDS_DIR, Words};

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, RwLock};

use rust_embed::RustEmbed;
use tera::{Context, Tera};

use crate::diagnostic::Diagnostic;

/// The default theme, compiled into the binary from the repository's `templates/`.
#[derive(RustEmbed)]
#[folder = "templates/"]
struct BuiltIn;

/// The folder of a site that overrides built-in templates and assets.
pub const TEMPLATES_DIR: &str = "templates";

/// What the built-in templates' names start with inside Tera, where they are the fallback
/// for the site's: `@builtin/base.html`. A site template may name them so.
pub const BUILTIN_PREFIX: &str = "@builtin/";

const ASSETS_PREFIX: &str = "assets/";

/// The asset fixbook generates from `[theme]` (see `site::theme_css`): not a theme file.
const GENERATED_ASSET: &str = "assets/theme.css";

/// The paths of the built-in theme's files under `templates/`, sorted
/// (`assets/tokens.css`, `base.html`, `partials/cards.html`, …).
pub fn builtin_names() -> Vec<String> {
    let mut names: Vec<String> = BuiltIn::iter().map(Cow::into_owned).collect();
    names.sort();
    names
}

/// The bytes of one built-in theme file, by its path under `templates/`.
pub fn builtin_file(name: &str) -> Option<Vec<u8>> {
    BuiltIn::get(name).map(|file| file.data.into_owned())
}

/// Compiled templates plus the static files to copy into `assets/`.
pub struct Theme {
    tera: Tera,
    /// Asset path under `assets/` → bytes.
    pub assets: BTreeMap<String, Vec<u8>>,
    /// Template name → digest of its source and of every template it may use.
    digests: BTreeMap<String, u64>,
    /// What `asset_url` puts before an asset's path; set by [`Theme::set_asset_base`].
    asset_base: Arc<RwLock<AssetBase>>,
    /// The theme's words in every language it has.
    pub words: Words,
    /// The words `t(key=…)` answers with; set by [`Theme::set_language`].
    current_words: Arc<RwLock<Shown>>,
}

/// What `asset_url(path=…)` answers: the assets' base address, and every theme asset's
/// address made once as a template value (a page asks for the icon sprite's dozens of
/// times; an asset added later is answered all the same).
struct AssetBase {
    base: String,
    known: foldhash::HashMap<String, tera::Value>,
}

impl AssetBase {
    fn new<'a>(base: &str, paths: impl Iterator<Item = &'a String>) -> Self {
        let mut made = Self {
            base: base.to_owned(),
            known: foldhash::HashMap::default(),
        };
        made.known = paths.map(|path| (path.clone(), made.make(path))).collect();
        made
    }

    fn url(&self, path: &str) -> tera::Value {
        self.known
            .get(path)
            .cloned()
            .unwrap_or_else(|| self.make(path))
    }

    fn make(&self, path: &str) -> tera::Value {
        format!("{}{}", self.base, path.trim_start_matches('/')).into()
    }
}

/// The current language's words, and the same as the template map pages see as `words`
/// (`{{ words.next }}`, which costs a template no function call) and `t(key=…)` answers
/// from: pages ask for dozens, so each is a shared string, not a copy per call.
struct Shown {
    words: BTreeMap<String, String>,
    all: tera::Value,
}

impl Shown {
    fn new(words: BTreeMap<String, String>) -> Self {
        let all = tera::Value::from(
            words
                .iter()
                .map(|(key, word)| (key.clone(), tera::Value::from(word.as_str())))
                .collect::<BTreeMap<_, _>>(),
        );
        Self { words, all }
    }

    /// The word of `key` as a template value.
    fn value(&self, key: &str) -> Option<tera::Value> {
        self.all.as_map()?.get(&tera::value::Key::Str(key)).cloned()
    }
}

impl Theme {
    /// Loads the built-in theme, then the site's `templates/` files over it.
    pub fn load(root: &Path) -> Result<Theme, Vec<Diagnostic>> {
        let (site, mut diagnostics) = site_files(root);
        let mut assets = BTreeMap::new();
        // (name in Tera, source): the built-in layer first, then the site's.
        let mut templates: Vec<(String, String)> = Vec::new();
        let mut words = Words::default();
        for name in builtin_names() {
            let Some(bytes) = builtin_file(&name) else {
                continue;
            };
            if name.starts_with(WORDS_DIR) {
                diagnostics.extend(words.add(&name, &bytes, Path::new(&name)));
            } else if let Some(asset) = name.strip_prefix(ASSETS_PREFIX) {
                assets.insert(asset.to_owned(), bytes);
            } else if is_template(&name) {
                templates.push((
                    format!("{BUILTIN_PREFIX}{name}"),
                    String::from_utf8_lossy(&bytes).into_owned(),
                ));
            }
        }
        for (name, bytes) in site {
            if name == GENERATED_ASSET {
                diagnostics.push(
                    Diagnostic::error(
                        Path::new(TEMPLATES_DIR).join(&name),
                        0,
                        0,
                        "fixbook writes `assets/theme.css` itself, from `[theme]` in fixbook.toml",
                    )
                    .with_hint("put your own rules in `templates/assets/custom.css`, which every page loads last"),
                );
                continue;
            }
            if name.starts_with(WORDS_DIR) {
                diagnostics.extend(words.add(&name, &bytes, &Path::new(TEMPLATES_DIR).join(&name)));
            } else if let Some(asset) = name.strip_prefix(ASSETS_PREFIX) {
                assets.insert(asset.to_owned(), bytes);
            } else if is_template(&name) {
                match String::from_utf8(bytes) {
                    Ok(text) => templates.push((name, text)),
                    Err(_) => diagnostics.push(Diagnostic::error(
                        Path::new(TEMPLATES_DIR).join(&name),
                        0,
                        0,
                        "the template is not valid UTF-8",
                    )),
                }
            }
        }
        let mut tera = Tera::new();
        tera.set_escape_fn(escape::escape_html);
        tera.register_filter("safe", escape::mark_safe);
        // Before any template is added, as Tera requires.
        if let Err(err) = tera.set_fallback_prefixes([BUILTIN_PREFIX]) {
            diagnostics.push(Diagnostic::site_error(format!(
                "cannot set up the built-in theme: {err}"
            )));
        }
        // Registered before the templates compile (Tera checks that functions exist).
        let asset_base = Arc::new(RwLock::new(AssetBase::new("/assets/", assets.keys())));
        let base = Arc::clone(&asset_base);
        tera.register_function(
            "asset_url",
            move |kwargs: tera::Kwargs, _: &tera::State| -> tera::TeraResult<tera::Value> {
                let path: &str = kwargs.must_get("path")?;
                Ok(base.read().unwrap_or_else(|e| e.into_inner()).url(path))
            },
        );
        let current_words = Arc::new(RwLock::new(Shown::new(words.for_language("en"))));
        let shown = Arc::clone(&current_words);
        tera.register_function(
            "t",
            move |kwargs: tera::Kwargs, _: &tera::State| -> tera::TeraResult<tera::Value> {
                let key: &str = kwargs.must_get("key")?;
                let shown = shown.read().unwrap_or_else(|e| e.into_inner());
                Ok(shown.value(key).unwrap_or_else(|| key.into()))
            },
        );
        let shown = Arc::clone(&current_words);
        tera.register_function(
            "tn",
            move |kwargs: tera::Kwargs, _: &tera::State| -> tera::TeraResult<String> {
                let key: &str = kwargs.must_get("key")?;
                let n: i64 = kwargs.must_get("n")?;
                let words = shown.read().unwrap_or_else(|e| e.into_inner());
                Ok(words::plural(&words.words, key, n))
            },
        );
        let shown = Arc::clone(&current_words);
        tera.register_function(
            "num",
            move |kwargs: tera::Kwargs, _: &tera::State| -> tera::TeraResult<String> {
                let n: i64 = kwargs.must_get("n")?;
                let words = shown.read().unwrap_or_else(|e| e.into_inner());
                Ok(words::number(&words.words, n))
            },
        );
        let shown = Arc::clone(&current_words);
        tera.register_function(
            "date",
            move |kwargs: tera::Kwargs, _: &tera::State| -> tera::TeraResult<String> {
                let iso: &str = kwargs.must_get("iso")?;
                let words = shown.read().unwrap_or_else(|e| e.into_inner());
                Ok(words::date(&words.words, iso))
            },
        );
        let mut digests = digests::digests(&templates);
        let words_digest = words.digest();
        for digest in digests.values_mut() {
            *digest ^= words_digest;
        }
        if let Err(err) = tera.add_raw_templates(templates) {
            diagnostics.push(
                Diagnostic::site_error(format!(
                    "a template does not compile: {}",
                    error_chain(&err)
                ))
                .with_hint(
                    "fix the template named in the message (in the site's templates/ folder; \
                     `@builtin/…` names the built-in one, which `fixbook theme eject` copies there)",
                ),
            );
        }
        if diagnostics.is_empty() {
            let mut theme = Theme {
                tera,
                assets,
                digests,
                asset_base,
                words,
                current_words,
            };
            theme.set_language("en");
            Ok(theme)
        } else {
            Err(diagnostics)
        }
    }

    /// A digest of everything that renders with `template`: its source, the sources of
    /// the templates it extends, includes or imports, directly or not, and those of every
    /// template that defines components. Two themes whose digests agree render that
    /// template the same way.
    pub fn digest(&self, template: &str) -> u64 {
        self.digests.get(template).copied().unwrap_or_default()
    }

    /// A digest of the whole theme: every template, word and asset. Two themes with the
    /// same digest render every page alike.
    pub fn whole_digest(&self) -> u64 {
        let mut bytes: Vec<u8> = Vec::new();
        for (name, digest) in &self.digests {
            bytes.extend_from_slice(&(name.len() as u64).to_le_bytes());
            bytes.extend_from_slice(name.as_bytes());
            bytes.extend_from_slice(&digest.to_le_bytes());
        }
        for (name, asset) in &self.assets {
            bytes.extend_from_slice(&(name.len() as u64).to_le_bytes());
            bytes.extend_from_slice(name.as_bytes());
            bytes.extend_from_slice(&xxhash_rust::xxh3::xxh3_128(asset).to_le_bytes());
        }
        bytes.extend_from_slice(&self.words.digest().to_le_bytes());
        xxhash_rust::xxh3::xxh3_64(&bytes)
    }

    /// Sets a value every template sees (e.g. `site`).
    pub fn set_global(&mut self, key: &'static str, value: &impl serde::Serialize) {
        self.tera.global_context().insert(key, value);
    }

    /// Defines `asset_url(path="icons.svg")`, the address of a theme asset under the site's
    /// base path. Unlike `site`, functions are seen inside components too, whose context
    /// holds only their arguments.
    pub fn set_asset_base(&mut self, base_path: &str) {
        *self.asset_base.write().unwrap_or_else(|e| e.into_inner()) =
            AssetBase::new(&format!("{base_path}assets/"), self.assets.keys());
    }

    /// Makes `t(key=…)` and the global `words` answer in language `code` (English words
    /// fill the gaps).
    pub fn set_language(&mut self, code: &str) {
        let shown = Shown::new(self.words.for_language(code));
        self.tera
            .global_context()
            .insert_value("words", shown.all.clone());
        *self
            .current_words
            .write()
            .unwrap_or_else(|e| e.into_inner()) = shown;
    }

    /// One word of the current language, as `t(key=…)` gives it.
    pub fn word(&self, key: &str) -> String {
        let shown = self.current_words.read().unwrap_or_else(|e| e.into_inner());
        words::word(&shown.words, key)
    }

    /// Renders the component `name` with `arguments`, as a template calling it would; `None`
    /// when the theme has no such component.
    pub fn render_component(
        &self,
        name: &str,
        arguments: &Context,
    ) -> Option<Result<String, Diagnostic>> {
        if !self.tera.contains_component(name) {
            return None;
        }
        Some(
            self.tera
                .render_component(name, arguments, None, true)
                .map_err(|err| {
                    Diagnostic::site_error(format!(
                        "component `{name}` failed to render: {}",
                        error_chain(&err)
                    ))
                }),
        )
    }

    /// Renders one template.
    pub fn render(&self, template: &str, context: &Context) -> Result<String, Diagnostic> {
        self.tera.render(template, context).map_err(|err| {
            Diagnostic::site_error(format!(
                "template `{template}` failed to render: {}",
                error_chain(&err)
            ))
        })
    }
}

/// Whether a theme file outside `assets/` is a template (other files there are ignored).
fn is_template(name: &str) -> bool {
    name.ends_with(".html") || name.ends_with(".xml")
}

/// The site's own theme files, by path under `templates/`; hidden files are left out.
fn site_files(root: &Path) -> (BTreeMap<String, Vec<u8>>, Vec<Diagnostic>) {
    let mut files = BTreeMap::new();
    let mut diagnostics = Vec::new();
    let site_dir = root.join(TEMPLATES_DIR);
    if !site_dir.is_dir() {
        return (files, diagnostics);
    }
    for entry in walkdir::WalkDir::new(&site_dir)
        .follow_links(false)
        .sort_by_file_name()
    {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                diagnostics.push(Diagnostic::site_error(format!(
                    "cannot read the site's templates: {err}"
                )));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(&site_dir) else {
            continue;
        };
        let name = rel.to_string_lossy().replace('\\', "/");
        if name.split('/').any(|part| part.starts_with('.')) {
            continue;
        }
        if name.starts_with(BUILTIN_PREFIX) {
            diagnostics.push(
                Diagnostic::error(
                    Path::new(TEMPLATES_DIR).join(rel),
                    0,
                    0,
                    format!(
                        "`{}` is the name fixbook gives the built-in templates",
                        BUILTIN_PREFIX.trim_end_matches('/')
                    ),
                )
                .with_hint("move the file out of that folder"),
            );
            continue;
        }
        match std::fs::read(entry.path()) {
            Ok(bytes) => {
                files.insert(name, bytes);
            }
            Err(err) => diagnostics.push(Diagnostic::error(
                Path::new(TEMPLATES_DIR).join(rel),
                0,
                0,
                format!("cannot read the template: {err}"),
            )),
        }
    }
    (files, diagnostics)
}

/// Tera errors nest their causes; the innermost one says what is actually wrong.
fn error_chain(err: &dyn std::error::Error) -> String {
    let mut parts = vec![err.to_string()];
    let mut source = err.source();
    while let Some(inner) = source {
        parts.push(inner.to_string());
        source = inner.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asset_addresses_are_the_same_made_ahead_or_asked_later() {
        let known = [String::from("icons.svg")];
        let base = AssetBase::new("/kb/assets/", known.iter());
        assert_eq!(base.url("icons.svg").as_str(), Some("/kb/assets/icons.svg"));
        assert_eq!(
            base.url("/icons.svg").as_str(),
            Some("/kb/assets/icons.svg")
        );
        assert_eq!(base.url("late.css").as_str(), Some("/kb/assets/late.css"));
    }

    #[test]
    fn pages_see_the_words_of_their_language_as_t_gives_them() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(TEMPLATES_DIR)).unwrap();
        std::fs::write(
            dir.path().join(TEMPLATES_DIR).join("words.html"),
            r#"{{ words.home }}|{{ t(key="home") }}|{{ words["nav_" ~ "fixes"] }}"#,
        )
        .unwrap();
        let mut theme = Theme::load(dir.path()).unwrap_or_else(|_| panic!("theme loads"));
        let render = |theme: &Theme| theme.render("words.html", &Context::new()).unwrap();
        assert_eq!(render(&theme), "Home|Home|Fixes");
        theme.set_language("de");
        assert_eq!(render(&theme), "Startseite|Startseite|Lösungen");
    }

    #[test]
    fn words_answer_as_the_values_of_their_keys() {
        let words = BTreeMap::from([(String::from("next"), String::from("Weiter"))]);
        let shown = Shown::new(words);
        assert_eq!(
            shown.value("next").as_ref().and_then(tera::Value::as_str),
            Some("Weiter")
        );
        assert_eq!(shown.words.get("next").map(String::as_str), Some("Weiter"));
    }
}
