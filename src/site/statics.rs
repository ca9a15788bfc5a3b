//! The files a build copies rather than renders: the theme's assets, the stylesheets
//! fixbook generates (syntax colours, `assets/theme.css` from `[theme]`), and the site's
//! own `static/` folder, copied to the output's root as it is (`CNAME`, `robots.txt`,
//! images, the logo).

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use super::theme::Theme;
use super::{OutputFile, PageId, SiteOptions};
use crate::config::{CONFIG_FILE, Config, STATIC_DIR};
use crate::diagnostic::Diagnostic;

/// The theme asset that `fixbook serve` adds to pages to reload them after a rebuild.
pub const LIVE_RELOAD_ASSET: &str = "live-reload.js";

/// The stylesheet fixbook writes from `[theme]`, under `assets/`.
pub const THEME_CSS_ASSET: &str = "theme.css";

/// A `static/` file that replaces the page fixbook would generate at its path.
const REPLACEABLE: &[&str] = &["robots.txt"];

/// The files of a site's `static/` folder, by path under it (`img/logo.svg`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StaticFiles {
    files: BTreeMap<String, Vec<u8>>,
}

/// A site without a `static/` folder.
pub static NO_STATIC_FILES: StaticFiles = StaticFiles {
    files: BTreeMap::new(),
};

impl StaticFiles {
    /// Reads the site's `static/` folder (which may itself be a symbolic link) and checks
    /// that `[theme] logo` is one of its files. Hidden files are left out; a symbolic link
    /// inside the folder is left out with a warning, as in `content/`. Errors and warnings
    /// come back together: the caller fails on errors.
    pub fn load(root: &Path, config: &Config) -> (StaticFiles, Vec<Diagnostic>) {
        let mut files = BTreeMap::new();
        let mut diagnostics = Vec::new();
        let dir = root.join(STATIC_DIR);
        if dir.is_dir() {
            let walk = walkdir::WalkDir::new(&dir)
                .follow_links(false)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|entry| {
                    entry.depth() == 0 || !entry.file_name().to_string_lossy().starts_with('.')
                });
            for entry in walk {
                let entry = match entry {
                    Ok(entry) => entry,
                    Err(err) => {
                        diagnostics.push(Diagnostic::site_error(format!(
                            "cannot read the site's `{STATIC_DIR}/` folder: {err}"
                        )));
                        continue;
                    }
                };
                let Ok(rel) = entry.path().strip_prefix(&dir) else {
                    continue;
                };
                let shown = Path::new(STATIC_DIR).join(rel);
                if entry.path_is_symlink() && entry.depth() > 0 {
                    diagnostics.push(
                        Diagnostic::warning(
                            &shown,
                            0,
                            0,
                            "a symbolic link in `static/` is not copied",
                        )
                        .with_hint("copy the file itself into `static/`"),
                    );
                    continue;
                }
                if !entry.file_type().is_file() {
                    continue;
                }
                match std::fs::read(entry.path()) {
                    Ok(bytes) => {
                        files.insert(rel.to_string_lossy().replace('\\', "/"), bytes);
                    }
                    Err(err) => diagnostics.push(Diagnostic::error(
                        &shown,
                        0,
                        0,
                        format!("cannot read the file: {err}"),
                    )),
                }
            }
        }
        if let Some(logo) = &config.theme.logo
            && !files.contains_key(&logo.value)
        {
            let what = if dir.join(&logo.value).exists() {
                "is not a file fixbook copies (a folder or a symbolic link)"
            } else {
                "does not exist"
            };
            diagnostics.push(
                Diagnostic::error(
                    CONFIG_FILE,
                    logo.line,
                    logo.column,
                    format!("`logo` names `{STATIC_DIR}/{}`, which {what}", logo.value),
                )
                .with_hint(format!(
                    "put the logo in the site's `{STATIC_DIR}/` folder, or correct the path in `logo`"
                )),
            );
        }
        (StaticFiles { files }, diagnostics)
    }

    /// Whether `path` (under `static/`) is one of the files.
    pub fn contains(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    /// The files with their paths in the output (the same as under `static/`).
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files.iter().map(|(p, b)| (p.as_str(), b.as_slice()))
    }

    /// The files whose path is one fixbook generates a file at: a page (`index.html`,
    /// `articles/x/index.html`, `sitemap.xml`), an asset (`assets/fixbook.css`) or the
    /// search index; `robots.txt` alone may replace the generated one.
    pub fn collisions(&self, pages: &[PageId], generated: &[OutputFile]) -> Vec<Diagnostic> {
        if self.files.is_empty() {
            return Vec::new();
        }
        let mut taken: HashSet<String> = pages.iter().map(PageId::output_path).collect();
        taken.extend(generated.iter().map(|f| f.path.clone()));
        let search_dir = format!("{}/", super::SEARCH_BUNDLE_DIR);
        self.files
            .keys()
            .filter(|path| !REPLACEABLE.contains(&path.as_str()))
            .filter(|path| {
                taken.contains(path.as_str())
                    || path.as_str() == super::STATUS_INDEX_PATH
                    || path.starts_with(&search_dir)
            })
            .map(|path| {
                let rules = crate::config::RedirectFormat::ALL
                    .into_iter()
                    .find(|format| format.file() == path.as_str());
                let hint = if let Some(format) = rules {
                    format!(
                        "fixbook writes it from the pages' `aliases:`; to keep your own, leave \
                         `{}` out of `[redirects] formats` in fixbook.toml",
                        format.key()
                    )
                } else if path.starts_with("assets/") {
                    "to replace a theme asset, put the file in `templates/assets/`; else rename it"
                        .to_owned()
                } else {
                    "rename or move the file: fixbook writes this path itself".to_owned()
                };
                Diagnostic::error(
                    Path::new(STATIC_DIR).join(path),
                    0,
                    0,
                    format!("`/{path}` is a file fixbook generates"),
                )
                .with_hint(hint)
            })
            .collect()
    }
}

/// Every file that is copied or generated rather than rendered from a page template: the
/// highlighting stylesheets, `assets/theme.css`, the theme's assets (the live-reload script
/// only when it is used) and the site's `static/` files.
pub fn static_files(
    config: &Config,
    theme: &Theme,
    statics: &StaticFiles,
    options: SiteOptions,
) -> Vec<OutputFile> {
    let mut files = generated(config, theme, options);
    files.extend(statics.iter().map(|(path, bytes)| OutputFile {
        path: path.to_owned(),
        bytes: bytes.to_vec(),
    }));
    files
}

/// The files [`static_files`] generates rather than copies from `static/`: the stylesheets
/// fixbook makes and the theme's assets, each under `assets/`.
pub fn generated(config: &Config, theme: &Theme, options: SiteOptions) -> Vec<OutputFile> {
    let (light, dark) = crate::render::stylesheets();
    let mut files = vec![
        OutputFile {
            path: "assets/syntax-light.css".into(),
            bytes: light.into_bytes(),
        },
        OutputFile {
            path: "assets/syntax-dark.css".into(),
            bytes: dark.into_bytes(),
        },
        OutputFile {
            path: format!("assets/{THEME_CSS_ASSET}"),
            bytes: theme_css(config).into_bytes(),
        },
    ];
    for (name, bytes) in &theme.assets {
        if name == LIVE_RELOAD_ASSET && !options.live_reload {
            continue;
        }
        files.push(OutputFile {
            path: format!("assets/{name}"),
            bytes: bytes.clone(),
        });
    }
    files
}

/// `assets/theme.css`: the `[theme]` accent as the `--accent` token (light and dark), and
/// the hover and soft tones the theme makes from it. Loaded after `tokens.css`, so it wins
/// over the built-in accent; a site's `custom.css` comes after it.
pub fn theme_css(config: &Config) -> String {
    let theme = &config.theme;
    let Some(accent) = &theme.accent else {
        return "/* Generated by fixbook from [theme] in fixbook.toml, which sets no accent. */\n"
            .to_owned();
    };
    let dark = theme.accent_dark.as_deref().unwrap_or(accent);
    format!(
        "/* Generated by fixbook from [theme] in fixbook.toml: the accent, and the tones made from it. */\n\
         :root {{ --accent: light-dark({accent}, {dark}) }}\n\
         :root {{\n  \
           --accent-hover: light-dark(color-mix(in srgb, var(--accent) 81%, black), color-mix(in srgb, var(--accent) 72%, white));\n  \
           --accent-soft: color-mix(in srgb, var(--accent) 10%, var(--bg));\n\
         }}\n"
    )
}
